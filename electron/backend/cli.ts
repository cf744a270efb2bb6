/**
 * `leadbench` command line: the same services as the desktop app, headless, plain Node.
 * Exit codes: 0 success, 1 failure reported to the user, 2 usage error. bin/leadbench.mjs
 * runs the bundle of this file (out/cli/cli.js, see scripts/build-cli.mjs) through runCliProcess.
 */
import { COMMANDS } from './cli/commands';
import type { CliIo } from './cli/types';
import { AppError, toApiError, writeFailureReason } from './errors';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || HELP_WORDS.has(name)) return printHelp(rest[0], io, name ? 0 : 2);
  const command = COMMANDS[name];
  if (!command) {
    io.err(`leadbench: unknown command "${name}". Run "leadbench help" for the list.`);
    return 2;
  }
  if (rest.some((a) => HELP_WORDS.has(a) && a !== 'help')) return printHelp(name, io, 0);
  try {
    return await (await command.load()).run(rest, io);
  } catch (err) {
    if (err instanceof AppError) {
      io.err(`leadbench ${name}: ${err.message}`);
      return err.code === 'BAD_ARGUMENT' ? 2 : 1;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`leadbench ${name}: ${err.message}\nUsage: ${command.usage}`);
      return 2;
    }
    const written = toApiError(err);
    io.err(
      `leadbench ${name}: ${written.code === 'WRITE_FAILED' ? written.message : err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  }
}

const HELP_WORDS = new Set(['help', '--help', '-h']);

/**
 * `leadbench help` lists every command; `leadbench help learn` and `leadbench learn --help`
 * print only that command's summary and usage, which is what someone asking about one
 * command wants to read.
 */
function printHelp(commandName: string | undefined, io: CliIo, exitCode: number): number {
  const one = commandName ? COMMANDS[commandName] : undefined;
  if (commandName && !one) {
    io.err(`leadbench: unknown command "${commandName}". Run "leadbench help" for the list.`);
    return 2;
  }
  if (one && commandName) {
    io.out(`leadbench ${commandName}: ${one.summary}\nUsage: ${one.usage}`);
    return 0;
  }
  io.out('Usage: leadbench <command> [options]   (leadbench help <command> for one)\n');
  for (const [n, c] of Object.entries(COMMANDS)) io.out(`  ${n.padEnd(10)} ${c.summary}\n      ${c.usage}`);
  return exitCode;
}

/** Runs the command line on this process's arguments and streams; sets the exit code. */
export async function runCliProcess(argv: readonly string[]): Promise<void> {
  // Output piped into a reader that stops early (`leadbench info | head`): end quietly. Output
  // that cannot be written (redirected onto a full disk): one line, not a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    process.stderr.write(`leadbench: the output could not be written: ${writeFailureReason(err) ?? err.message}.\n`);
    process.exit(1);
  });
  process.exitCode = await runCli(argv, {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  });
}
