/** Argument parsing shared by the CLI commands: node:util parseArgs plus the usage / --help conventions. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CliIo } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h", default: false } } as const;

/**
 * Parses `argv` with the command's options (and `-h/--help`). Returns the parsed values, or the exit
 * code to return at once: 0 after printing the usage for --help, 2 after a usage error.
 */
export function parseCommand<O extends Options>(argv: string[], options: O, usage: string, io: CliIo) {
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...options, ...HELP } as O & typeof HELP,
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(usage);
    return 0;
  }
  return parsed;
}
