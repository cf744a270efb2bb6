/** A CLI command: parsed options in, exit code out. Output goes to the given streams. */
export type CliIo = Readonly<{ out: (line: string) => void; err: (line: string) => void }>;

/** What a command's own file exports: the code that runs it. */
export type CliCommandRun = Readonly<{
  run: (argv: readonly string[], io: CliIo) => Promise<number>;
}>;

/**
 * A command in the catalogue (commands.ts): what `help` prints, and how to load the code.
 * The code is loaded only when the command runs, so `leadbench help` starts without
 * loading SQLite, the importers or the scoring engine.
 */
export type CliCommand = Readonly<{
  summary: string;
  usage: string;
  load: () => Promise<CliCommandRun>;
}>;
