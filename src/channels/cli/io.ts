import type { Assistant } from "../../assistant/assistant.js";
import type { ExtractResponse } from "../../assistant/extract/types.js";
import type { TaskComponents } from "../../assistant/tasks/task-service.js";
import type { AppConfig } from "../../config/config.js";
import { InputError } from "../../errors.js";

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

/**
 * What a command gets from the composition (cli/main.ts, over src/app.ts): each part is built when
 * the command first asks for it, after its arguments were checked, so a usage error is reported
 * before a bad setting and `extract` never opens the index.
 */
export interface CliContext {
  /** The configuration, read once from `io.env` (throws ConfigError naming each bad variable). */
  config(): AppConfig;
  /** The assistant over that configuration, built once. */
  assistant(): Assistant;
  /** Opens the store and the task service, runs `fn`, and closes them. */
  withTasks<T>(fn: (c: TaskComponents) => Promise<T>): Promise<T>;
}

export type CliCommand = (argv: string[], io: CliIo, cli: CliContext) => Promise<number>;

/**
 * The one notice of `extract` and `tasks add`, extracted: a path for the ingest loaders, or `-` for
 * UTF-8 text on standard input (BOM dropped; empty input is an InputError saying how to pipe one
 * in). Returns the file argument and the extract, or exit code 2 after a usage error.
 */
export async function extractNoticeArgument(
  positionals: string[],
  ref: string | undefined,
  { io, cli, usage, example }: { io: CliIo; cli: CliContext; usage: string; example: string },
): Promise<number | { file: string; result: ExtractResponse }> {
  if (positionals.length !== 1) {
    io.stderr(`Give exactly one notice file, or - for standard input.\n${usage}`);
    return 2;
  }
  const file = positionals[0]!;
  const assistant = cli.assistant();
  let input: { text: string } | { path: string } = { path: file };
  if (file === "-") {
    const text = new TextDecoder("utf-8", { fatal: false }).decode(await io.readStdin()).replace(/^\uFEFF/, "");
    if (!text.trim())
      throw new InputError("stdin", `no text on standard input; pipe a notice in, e.g. \`${example}\`.`);
    input = { text };
  }
  return { file, result: await assistant.extract({ ...input, ...(ref !== undefined ? { ref } : {}) }) };
}
