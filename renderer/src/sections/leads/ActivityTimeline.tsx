/**
 * A lead's activity timeline, newest first: the first page comes with the lead, older
 * activity a page at a time on request (keyset paging in the backend), so a lead with a
 * long history is readable to the end without loading it all at once.
 */
import { useState } from 'react';
import type { ActivityItem } from '../../../../shared/contract';
import { call, errorMessage } from '../../api';
import { formatCount, formatDateTime } from '../../format';

export function ActivityTimeline({
  leadId,
  first,
  total,
}: Readonly<{ leadId: number; first: readonly ActivityItem[]; total: number }>) {
  // Older pages belong to the first page they followed: a refreshed first page (an import,
  // an edit) starts the timeline over.
  const [older, setOlder] = useState<Readonly<{ after: readonly ActivityItem[]; items: readonly ActivityItem[] }>>({
    after: first,
    items: [],
  });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const olderItems = older.after === first ? older.items : [];
  const shown = olderItems.length ? [...first, ...olderItems] : first;
  const last = shown.at(-1);

  const loadOlder = async (): Promise<void> => {
    if (!last) return;
    setLoading(true);
    setError(null);
    try {
      const page = await call('lead-activities', {
        id: leadId,
        before: { occurredAt: last.occurred_at, id: last.id },
        limit: 500,
      });
      setOlder((o) => ({ after: first, items: [...(o.after === first ? o.items : []), ...page] }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };

  return (
    <section className="lg-card" aria-label="Activity timeline">
      <h3>
        Activity <span className="muted">({formatCount(total)})</span>
      </h3>
      {shown.length === 0 ? <p className="muted">No activity yet. Import an activity log to see it here.</p> : null}
      <ol className="lg-timeline">
        {shown.map((a) => (
          <li key={a.id}>
            <span className="lg-timeline__when">{formatDateTime(a.occurred_at)}</span>
            <span>
              <strong>{a.label}</strong> {a.asset ? <span>{a.asset}</span> : null}
              {a.duration_sec != null ? <span className="muted"> · {Math.round(a.duration_sec)} s</span> : null}
            </span>
            <span className="muted lg-timeline__source">
              {a.import_name ? `from ${a.import_name}` : 'added by hand'}
            </span>
          </li>
        ))}
      </ol>
      {total > shown.length ? (
        <p className="muted">
          Showing the newest {formatCount(shown.length)} of {formatCount(total)}.{' '}
          <button type="button" className="btn" disabled={loading} onClick={() => void loadOlder()}>
            {loading ? 'Loading…' : 'Show older activity'}
          </button>
        </p>
      ) : null}
      {error ? <p className="form-error">{error}</p> : null}
    </section>
  );
}
