/**
 * Desktop notifications while the app runs: asks the backend which of "my" leads turned
 * due soon since it last asked (the backend remembers, so each lead alerts once per SLA
 * clock, and returns nothing when the setting is off), then shows one notification each
 * through the browser Notification API. Checks every minute and after follow-up changes.
 */
import { useCallback, useEffect } from 'react';
import { call, useApiEvent } from '../../api';
import { formatDue } from './labels';

const EVERY_MS = 60_000;

export function DueSoonNotifier() {
  const check = useCallback(async () => {
    let items;
    try {
      items = await call('followup-due-soon', {});
    } catch {
      return; // no workspace open yet, or a transient failure: try again next time
    }
    if (items.length === 0 || typeof Notification === 'undefined') return;
    if (Notification.permission === 'default') await Notification.requestPermission();
    if (Notification.permission !== 'granted') return;
    for (const i of items) {
      new Notification(`Due soon: ${i.name}`, {
        body: `${i.grade ?? 'Ungraded'} · due ${formatDue(i.dueAt)} · ${i.recommendedAction}`,
        tag: `leadbench-due-${i.leadId}`,
      });
    }
  }, []);

  useEffect(() => {
    void check();
    const timer = window.setInterval(() => void check(), EVERY_MS);
    return () => window.clearInterval(timer);
  }, [check]);

  useApiEvent('data-changed', (p) => {
    if (p.tables.includes('followup')) void check();
  });
  useApiEvent('workspace-changed', () => void check());
  return null;
}
