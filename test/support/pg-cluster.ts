/**
 * A throw-away PostgreSQL cluster for tests: `initdb` into a temp dir owned by the postgres user
 * (the server refuses to run as root), `pg_ctl start` on 127.0.0.1 at a free port with its socket
 * in that dir, `stop()` in teardown (immediate shutdown, then the dir is removed). Never touches
 * the system service. Binaries are found under /usr/lib/postgresql/<version>/bin (or PG_BIN).
 *
 * `pgAvailability()` says whether a cluster can be had. In CI (CI=true) a missing server is a
 * failure, not a skip: `.ci/run` installs postgresql-15. Elsewhere the tests skip with a message.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** A fresh database in the cluster; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export function findPgBin(env: Record<string, string | undefined> = process.env): string | null {
  // PG_BIN, when set, is the only place looked at (also a way to check the no-server paths).
  if (env.PG_BIN)
    return existsSync(join(env.PG_BIN, "initdb")) && existsSync(join(env.PG_BIN, "pg_ctl")) ? env.PG_BIN : null;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")) && existsSync(join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, "bin") : null;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** null when a cluster can be started; else the reason it cannot. */
export function pgAvailability(): string | null {
  const bin = findPgBin();
  if (!bin)
    return process.env.PG_BIN
      ? `no initdb and pg_ctl in PG_BIN=${process.env.PG_BIN}`
      : "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install postgresql-15, or set PG_BIN)";
  if (isRoot() && spawnSync("id", ["-u", "postgres"]).status !== 0)
    return "running as root but there is no postgres user to run the server as";
  return null;
}

/**
 * For a test file: `const pg = pgForTests()`; then `describe.skipIf(pg.skip)(…)`. In CI a missing
 * server throws (the suite fails loudly); elsewhere it prints why the PostgreSQL tests are skipped.
 */
export function pgForTests(): { skip: boolean; reason: string | null } {
  const reason = pgAvailability();
  if (reason && process.env.CI)
    throw new Error(`PostgreSQL tests cannot run in CI: ${reason}. .ci/run should have installed postgresql-15.`);
  if (reason) console.warn(`[pg tests skipped] ${reason}`);
  return { skip: reason !== null, reason };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Run a server binary as the postgres user when we are root. */
function runPg(bin: string, args: string[]): string {
  const cmd = isRoot() ? "runuser" : bin;
  const argv = isRoot() ? ["-u", "postgres", "--", bin, ...args] : args;
  return execFileSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], cwd: "/" });
}

export async function startPgCluster(): Promise<PgCluster> {
  const reason = pgAvailability();
  if (reason) throw new Error(`cannot start PostgreSQL: ${reason}`);
  const bin = findPgBin()!;
  const dir = mkdtempSync(join(tmpdir(), "pg-test-"));
  chmodSync(dir, 0o700);
  if (isRoot()) execFileSync("chown", ["postgres:postgres", dir]);
  const data = join(dir, "data");
  runPg(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      runPg(join(bin, "pg_ctl"), [
        "-D",
        data,
        "-l",
        join(dir, "server.log"),
        "-w",
        "-t",
        "60",
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
        "start",
      ]);
      break;
    } catch (err) {
      if (attempt >= 2) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    async createDatabase(name: string) {
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        runPg(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
