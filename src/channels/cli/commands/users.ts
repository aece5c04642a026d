/**
 * `npm run -s users -- add NAME --role admin|user` (password read from standard input, first line),
 * `users -- list [--json]`, `users -- remove NAME`: the web workspace's accounts, kept in the store
 * (SQLite at STORE_PATH, or PostgreSQL at DATABASE_URL). See ../shared/CLI-CONTRACT.md, "Users".
 */
import { InputError } from "../../../errors.js";
import { hashPassword, ROLES, validateAccountName, validatePassword, type Role } from "../../../store/accounts.js";
import { openStore } from "../../../store/open-store.js";
import { parseCommand } from "../args.js";
import type { CliContext, CliIo } from "../io.js";

const USAGE = `Usage: npm run -s users -- add NAME --role admin|user     (password from standard input, e.g. printf '%s\\n' "$PASSWORD" | npm run -s users -- add wang --role admin)
       npm run -s users -- list [--json]
       npm run -s users -- remove NAME
`;

export default async function users(argv: string[], io: CliIo, cli: CliContext): Promise<number> {
  const parsed = parseCommand(argv, { json: { type: "boolean", default: false }, role: { type: "string" } }, USAGE, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const [action, name, ...extra] = positionals;
  if (
    !action ||
    !["add", "list", "remove"].includes(action) ||
    extra.length ||
    (action !== "list" && !name) ||
    (action === "list" && name)
  ) {
    io.stderr(USAGE);
    return 2;
  }
  if (action === "add") {
    if (!values.role || !(ROLES as readonly string[]).includes(values.role)) {
      io.stderr(`--role must be admin or user.\n${USAGE}`);
      return 2;
    }
    const bad = validateAccountName(name!);
    if (bad) {
      io.stderr(`${name}: ${bad}.\n`);
      return 2;
    }
  }
  const config = cli.config();
  if (action === "add") {
    // read the password before opening the store, so a missing one changes nothing
    const password = (await io.readStdin()).toString("utf8").split(/\r?\n/)[0] ?? "";
    const bad = validatePassword(password);
    if (bad) throw new InputError("standard input", `${bad}; send the password on standard input.`);
    const passwordHash = await hashPassword(password);
    const store = await openStore(config.store);
    try {
      await store.accounts.addAccount({
        name: name!,
        role: values.role as Role,
        passwordHash,
        createdAt: io.now().toISOString(),
      });
      await store.audit({
        at: io.now().toISOString(),
        actor: "cli",
        chat: null,
        action: "users.add",
        subject: name!,
        detail: { role: values.role },
      });
    } finally {
      await store.close();
    }
    io.stdout(`Added ${values.role} ${name}.\n`);
    return 0;
  }
  const store = await openStore(config.store);
  try {
    if (action === "list") {
      const list = await store.accounts.listAccounts();
      if (values.json) io.stdout(`${JSON.stringify({ users: list })}\n`);
      else if (!list.length) io.stdout("No users yet; add one with npm run -s users -- add NAME --role admin\n");
      else for (const u of list) io.stdout(`${u.name}\t${u.role}\t${u.createdAt}\n`);
      return 0;
    }
    const removed = await store.accounts.removeAccount(name!);
    if (!removed) {
      io.stderr(`No user named ${name}; see npm run -s users -- list\n`);
      return 1;
    }
    await store.audit({
      at: io.now().toISOString(),
      actor: "cli",
      chat: null,
      action: "users.remove",
      subject: name!,
      detail: null,
    });
    io.stdout(`Removed ${name}.\n`);
    return 0;
  } finally {
    await store.close();
  }
}
