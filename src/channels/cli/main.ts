#!/usr/bin/env node
/**
 * Command-line entry: `tsx src/channels/cli/main.ts <command> [...args]`, reached through the npm
 * scripts (`npm run ingest|search|ask|extract|draft -- ...`). See ../shared/CLI-CONTRACT.md.
 */
import { createAssistant, openTasks } from "../../app.js";
import type { Assistant } from "../../assistant/assistant.js";
import { type AppConfig, loadConfig } from "../../config/config.js";
import { describeFatal, settingHints, userMessage } from "../../errors.js";
import { processIo, type CliCommand, type CliContext, type CliIo } from "./io.js";
import { isMainModule } from "../../is-main-module.js";

const commands: Record<string, () => Promise<{ default: CliCommand }>> = {
  ingest: () => import("./commands/ingest.js"),
  search: () => import("./commands/search.js"),
  ask: () => import("./commands/ask.js"),
  extract: () => import("./commands/extract.js"),
  draft: () => import("./commands/draft.js"),
  users: () => import("./commands/users.js"),
  tasks: () => import("./commands/tasks.js"),
  audit: () => import("./commands/audit.js"),
};

/**
 * The CLI's one composition: the configuration read once from `io.env`, and the assistant and the
 * task store built from it by the composition root (src/app.ts), each when a command first asks.
 */
export function cliContext(io: CliIo): CliContext {
  let config: AppConfig | undefined;
  let assistant: Assistant | undefined;
  const cli: CliContext = {
    config: () => (config ??= loadConfig(io.env)),
    assistant: () =>
      (assistant ??= createAssistant(cli.config(), { now: io.now, log: (line) => io.stderr(`${line}\n`) })),
    withTasks: async (fn) => {
      const c = await openTasks(cli.config(), { now: io.now });
      try {
        return await fn(c);
      } finally {
        await c.close();
      }
    },
  };
  return cli;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    io.stderr(`Usage: <command> [options]; commands: ${Object.keys(commands).join(", ")}\n`);
    return 2;
  }
  try {
    const { default: command } = await load();
    return await command(rest, io, cliContext(io));
  } catch (err) {
    // a user's mistake (bad setting, unreadable file, no index, unwritable INDEX_DIR …): its message, no stack
    if (userMessage(err, settingHints(io.env)) !== null) {
      io.stderr(`${describeFatal(err, io.env)}\n`);
      return 1;
    }
    throw err;
  }
}

const isMain = isMainModule(import.meta.url);
if (isMain) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${describeFatal(err, process.env)}\n`);
      process.exitCode = 1;
    },
  );
}
