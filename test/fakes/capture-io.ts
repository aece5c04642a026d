/** A CliIo that records what a command prints, for driving `runCli` in tests. */
import type { CliIo } from "../../src/channels/cli/io.js";

export function captureIo(options: { env?: Record<string, string | undefined>; stdin?: string; now?: Date } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    readStdin: async () => Buffer.from(options.stdin ?? "", "utf8"),
    env: options.env ?? {},
    now: () => options.now ?? new Date("2026-01-01T00:00:00Z"),
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}
