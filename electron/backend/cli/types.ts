/** A CLI command: parsed options in, exit code out. Output goes to the given streams. */
export type CliIo = Readonly<{ out: (line: string) => void; err: (line: string) => void }>;

export type CliCommand = Readonly<{
  summary: string;
  usage: string;
  run: (argv: readonly string[], io: CliIo) => Promise<number>;
}>;
