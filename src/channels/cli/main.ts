#!/usr/bin/env node
/**
 * Command-line entry: `tsx src/channels/cli/main.ts <command> [...args]`, reached through the npm
 * scripts (`npm run ingest|search|ask|extract|draft -- ...`). See ../shared/CLI-CONTRACT.md.
 */
import { describeFatal, settingHints, userMessage } from "../../errors.js";
import { processIo, type CliCommand, type CliIo } from "./io.js";
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

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    io.stderr(`Usage: <command> [options]; commands: ${Object.keys(commands).join(", ")}\n`);
    return 2;
  }
  try {
    const { default: command } = await load();
    return await command(rest, io);
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
