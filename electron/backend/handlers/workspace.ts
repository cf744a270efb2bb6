/** Handlers for the workspace itself. */
import type { workspaceArgs } from '../../../shared/contract/workspace';
import { workspaceInfo } from '../services/workspace';
import { listSamples } from '../services/samples';
import type { HandlerGroup } from './types';

export const workspaceHandlers: HandlerGroup<keyof typeof workspaceArgs> = {
  'workspace-info': (ctx) => workspaceInfo(ctx.db(), ctx.workspacePath() ?? ''),
  'workspace-open': (ctx, { path, create }) => {
    ctx.openWorkspace(path, create ?? false);
    const info = workspaceInfo(ctx.db(), path);
    ctx.emit('workspace-changed', info);
    return info;
  },
  'sample-list': (ctx) => listSamples(ctx.sampleDirs),
  'job-cancel': (ctx, { jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
};
