/** Every CLI command by name. Each lives in its own file beside this one. */
import type { CliCommand } from './types';
import { infoCommand } from './info';

export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  info: infoCommand,
};
