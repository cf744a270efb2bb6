/**
 * First-run empty state of an empty workspace: load a local sample or import a sheet.
 * Samples come from disk (shipped with the app, or the real datasets beside a
 * development checkout); nothing is fetched from the network.
 */
import { useState } from 'react';
import { call, useApi, errorMessage } from '../api';
import type { SectionId } from '../sections';
import { EmptyState, ErrorState } from './EmptyState';

export function FirstRun({ onNavigate }: Readonly<{ onNavigate: (id: SectionId) => void }>) {
  const samples = useApi('sample-list', {});
  const [loading, setLoading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load(id: string) {
    setLoading(id);
    setError(null);
    try {
      await call('sample-load', { id });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(null);
    }
  }

  return (
    <EmptyState
      icon="sparkle"
      title="Your workspace is empty"
      actions={
        <>
          <button type="button" className="btn btn--primary" onClick={() => onNavigate('import')}>
            Import a spreadsheet…
          </button>
          {(samples.data ?? [])
            .filter((s) => s.available)
            .map((s) => (
              <button
                key={s.id}
                type="button"
                className="btn"
                disabled={loading !== null}
                title={s.description}
                onClick={() => void load(s.id)}
              >
                {loading === s.id ? 'Loading…' : `Load ${s.label}`}
              </button>
            ))}
        </>
      }
    >
      <p>
        Import a CSV or Excel sheet of leads, a webinar attendee list or a web/email activity export. Leadbench maps the
        columns, removes duplicates and scores every lead right here on this computer.
      </p>
      <p className="muted">Or try it first with sample data stored on this computer.</p>
      {error ? <ErrorState message={error} /> : null}
    </EmptyState>
  );
}
