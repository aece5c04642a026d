/** What a CLI command gets to talk to the world; injected so commands are testable without a process. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Reads all of standard input (for `-` file arguments). */
  readStdin: () => Promise<Buffer>;
  env: Record<string, string | undefined>;
  /** The clock ("today" for extract's default ref); injected for deterministic tests. */
  now: () => Date;
}

export const processIo = (): CliIo => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: async () => {
    const parts: Buffer[] = [];
    for await (const part of process.stdin) parts.push(part as Buffer);
    return Buffer.concat(parts);
  },
  env: process.env,
  now: () => new Date(),
});

export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;
