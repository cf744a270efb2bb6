/**
 * The workspace's names for its activity types (renamed workspace types), for the words
 * rules are described in: "Text sent" where the rule stores "ws:SMS Sent".
 */
import { useMemo } from 'react';
import type { ActivityTypeInfo } from '../../../../shared/contract';
import { activityTypeLabel, type ActivityTypeLabels } from '../../../../shared/domain';
import { useApi } from '../../api';

/** The types' labels where they differ from the key's own name. */
export function typeLabels(types: readonly ActivityTypeInfo[] | undefined): ActivityTypeLabels {
  return new Map((types ?? []).filter((t) => t.label !== activityTypeLabel(t.type)).map((t) => [t.type, t.label]));
}

export function useActivityTypeLabels(): ActivityTypeLabels {
  const types = useApi('activity-types', {}, { refreshOn: ['imports', 'activities'] });
  return useMemo(() => typeLabels(types.data), [types.data]);
}
