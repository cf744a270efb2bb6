/** Handlers for the exchange domain: exports, the round trip, backups. */
import type { exchangeArgs } from '../../../shared/contract/exchange';
import { backupWorkspace, listBackups } from '../services/exchange/backup';
import { exportLeads, exportOwnerPacks } from '../services/exchange/export-leads';
import { exportOptions, exportReport, listExports } from '../services/exchange/export-misc';
import { applyRoundtrip, planRoundtrip } from '../services/exchange/roundtrip';
import type { HandlerGroup } from './types';

export const exchangeHandlers: HandlerGroup<keyof typeof exchangeArgs> = {
  'export-options': (ctx) => exportOptions(ctx.db()),
  'export-leads': (ctx, args) => exportLeads(ctx, args),
  'export-owner-packs': (ctx, args) => exportOwnerPacks(ctx, args),
  'export-report': (ctx, args) => exportReport(ctx, args),
  'export-cancel': (ctx, { jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
  'exports-list': (ctx, { limit }) => listExports(ctx.db(), limit),
  'roundtrip-inspect': (ctx, { path, encoding, dateOrder }) => planRoundtrip(ctx, path, encoding, dateOrder).preview,
  'roundtrip-apply': (ctx, args) => applyRoundtrip(ctx, args),
  'workspace-backup': (ctx, { out }) => backupWorkspace(ctx, { out, kind: 'manual', reason: 'manual backup' }),
  'backups-list': (ctx) => listBackups(ctx.db()),
};
