/** Every CLI command by name. Each lives in its own file beside this one. */
import type { CliCommand } from './types';
import { infoCommand } from './info';
import { queueCommand } from './queue';
import { reportCommand } from './report';
import { importCommand } from './import';
import { scoreCommand } from './score';
import { explainCommand } from './explain';
import { exportCommand } from './export';
import { backupCommand } from './backup';
import { stageCommand } from './stage';

export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  info: infoCommand,
  queue: queueCommand,
  report: reportCommand,
  import: importCommand,
  score: scoreCommand,
  explain: explainCommand,
  export: exportCommand,
  backup: backupCommand,
  stage: stageCommand,
};
