/**
 * The draft checked against the workspace by the backend (model-check: each rule's match
 * count now, and fields, values and keys the workspace does not have), shortly after the
 * last edit, while the draft is valid. The same computation the CLI refuses model files by.
 */
import { useEffect, useState } from 'react';
import type { ModelCheck } from '../../../../shared/contract';
import type { ScoringModel } from '../../../../shared/scoring';
import { call, useApiEvent } from '../../api';

const CHECK_DELAY_MS = 700;

export function useModelCheck(draft: ScoringModel, valid: boolean): ModelCheck | null {
  const [check, setCheck] = useState<ModelCheck | null>(null);
  const [leadsChanged, setLeadsChanged] = useState(0);
  useApiEvent('data-changed', (e) => {
    if (e.tables.includes('leads')) setLeadsChanged((n) => n + 1);
  });
  useEffect(() => {
    if (!valid) return;
    let live = true;
    const t = setTimeout(() => {
      call('model-check', { definition: draft }).then(
        (c) => {
          if (live) setCheck(c);
        },
        () => {
          if (live) setCheck(null);
        },
      );
    }, CHECK_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [draft, valid, leadsChanged]);
  return valid ? check : null;
}
