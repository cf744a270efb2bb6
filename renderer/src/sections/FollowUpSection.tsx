/**
 * Follow-up section: the queue sales works from (my leads / all, by SLA due time) and the
 * settings behind it (who I am, notifications, owners, routing, SLA policies, stages,
 * disposition reasons).
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../api';
import { ErrorState } from '../components/EmptyState';
import { SectionHeader } from '../components/SectionHeader';
import type { SectionId } from '../sections';
import { QueueView } from './followup/QueueView';
import { SettingsView } from './followup/SettingsView';
import './followup/followup.css';

type Message = { text: string; kind: 'ok' | 'error'; seq: number };

export function FollowUpSection({ onNavigate }: Readonly<{ onNavigate: (id: SectionId) => void }>) {
  const [tab, setTab] = useState<'queue' | 'settings'>('queue');
  const settings = useApi('followup-settings-get', {}, { refreshOn: ['followup'] });
  const owners = useApi('owners-list', {}, { refreshOn: ['followup', 'leads'] });
  const [message, setMessage] = useState<Message | null>(null);

  const onMessage = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => {
    setMessage((m) => ({ text, kind, seq: (m?.seq ?? 0) + 1 }));
  }, []);
  useEffect(() => {
    if (!message || message.kind === 'error') return;
    const t = window.setTimeout(() => setMessage((m) => (m?.seq === message.seq ? null : m)), 5000);
    return () => window.clearTimeout(t);
  }, [message]);

  const tabs = (
    <div className="fu-seg" role="tablist" aria-label="Follow-up views">
      {(
        [
          ['queue', 'Queue'],
          ['settings', 'Settings'],
        ] as const
      ).map(([id, label]) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={tab === id}
          className={`fu-seg__item${tab === id ? ' is-on' : ''}`}
          onClick={() => setTab(id)}
        >
          {label}
        </button>
      ))}
    </div>
  );

  return (
    <section className="section fu-section">
      <SectionHeader
        title="Follow-up"
        subtitle="Every MQL contacted within its SLA: owners, due times, attempts and outcomes."
        actions={tabs}
      />
      {message ? (
        <div className={`fu-toast fu-toast--${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-label="Dismiss"
            onClick={() => setMessage(null)}
          >
            ×
          </button>
        </div>
      ) : null}
      {settings.error ? <ErrorState message={settings.error.message} onRetry={settings.reload} /> : null}
      {settings.data && owners.data ? (
        tab === 'queue' ? (
          <QueueView
            settings={settings.data}
            owners={owners.data}
            onOpenSettings={() => setTab('settings')}
            onMessage={onMessage}
            onNavigate={onNavigate}
          />
        ) : (
          <SettingsView settings={settings.data} owners={owners.data} onMessage={onMessage} />
        )
      ) : null}
    </section>
  );
}
