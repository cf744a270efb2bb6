/**
 * The ordered list of every migration. Append only; numbers are multiples of 10, never reused
 * nor renumbered once landed (a workspace's ledger, `schema_migrations`, records them by number;
 * one it does not know marks the workspace as written by a newer app).
 *
 * Numbering a new migration: take the next free number in your reserved range. It need not be
 * above every migration already landed: a workspace runs every migration its ledger lacks, in
 * number order, so one that lands after a higher number still runs everywhere. Its number
 * decides only its order among the migrations a workspace has not had yet, so give it a number
 * above every migration whose schema it relies on.
 */
import type { Migration } from '../migrate';
import { migration0010Core } from './0010-core';
import { migration0030Scoring } from './0030-scoring';
import { migration0040Leads } from './0040-leads';
import { migration0050Followup } from './0050-followup';
import { migration0060Exchange } from './0060-exchange';
import { migration0070GridPairs } from './0070-grid-pairs';
import { migration0080GridCovering } from './0080-grid-covering';
import { migration0090GridStageSla } from './0090-grid-stage-sla';
import { migration0100GridEngagementPair } from './0100-grid-engagement-pair';
import { migration0110LeadKey } from './0110-lead-key';
import { migration0120CustomFieldTypes } from './0120-custom-field-types';
import { migration0140Outcomes } from './0140-outcomes';
import { migration0200JobJournal } from './0200-job-journal';
import { migration0250EmailNormIdn } from './0250-email-norm-idn';
import { migration0310GridScoreStore } from './0310-grid-score-store';
import { migration0320DropOwnerIdIndex } from './0320-drop-owner-id-index';
import { migration0410ActivityTypes } from './0410-activity-types';
import { migration0540GridStoreDates } from './0540-grid-store-dates';
import { migration0550FirstUseIndexes } from './0550-first-use-indexes';
import { migration0610FirstUseGrid } from './0610-first-use-grid';
import { migration0640CompactLeadKeys } from './0640-compact-lead-keys';
import { migration0700ImportIdFloors } from './0700-import-id-floors';
import { migration0710UidBytesHistoryIndex } from './0710-uid-bytes-history-index';
import { migration0740CustomFieldSlots } from './0740-custom-field-slots';
import { migration0800LeadTotal } from './0800-lead-total';
import { migration0950RepairImportIdFloors } from './0950-repair-import-id-floors';
import { migration0960CustomIndexSlotNames } from './0960-custom-index-slot-names';
import { migration0970RepairUidBytesHistoryIndex } from './0970-repair-uid-bytes-history-index';

// Sorted by version so a migration added out of order still runs in order.
export const MIGRATIONS: readonly Migration[] = [
  migration0010Core,
  migration0030Scoring,
  migration0040Leads,
  migration0050Followup,
  migration0060Exchange,
  migration0070GridPairs,
  migration0080GridCovering,
  migration0090GridStageSla,
  migration0100GridEngagementPair,
  migration0110LeadKey,
  migration0120CustomFieldTypes,
  migration0140Outcomes,
  migration0200JobJournal,
  migration0250EmailNormIdn,
  migration0310GridScoreStore,
  migration0320DropOwnerIdIndex,
  migration0410ActivityTypes,
  migration0540GridStoreDates,
  migration0550FirstUseIndexes,
  migration0610FirstUseGrid,
  migration0640CompactLeadKeys,
  migration0700ImportIdFloors,
  migration0710UidBytesHistoryIndex,
  migration0740CustomFieldSlots,
  migration0800LeadTotal,
  migration0950RepairImportIdFloors,
  migration0960CustomIndexSlotNames,
  migration0970RepairUidBytesHistoryIndex,
].sort((a, b) => a.version - b.version);
