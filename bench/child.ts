/**
 * The one runner of the bench's measuring processes: `node --import tsx SCRIPT ARGS…` in a fresh
 * process (so its peak RSS and its cold start belong to one measurement), stdout ignored (it stays
 * free for whatever the measured code prints), stderr passed through for progress, the result read
 * from the JSON file the child wrote. Used by bench/run.ts (bench/measure.ts phases) and
 * bench/peers/run-lancedb.ts (the LanceDB child).
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

export const BENCH_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Runs `script` with `args` in a fresh node + tsx process; resolves with the JSON it wrote to `out` and the wall time. */
export function runTsxChild(
  script: string,
  args: readonly string[],
  out: string,
): Promise<{ result: Record<string, unknown>; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: BENCH_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    p.on("error", reject);
    p.on("exit", async (code, signal) => {
      const wallMs = performance.now() - t0;
      if (code !== 0)
        return reject(new Error(`${script.slice(BENCH_ROOT.length)} ${args[0] ?? ""} exited with ${signal ?? code}`));
      try {
        resolve({ result: JSON.parse(await readFile(out, "utf8")) as Record<string, unknown>, wallMs });
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** The machine a run was measured on (the load average says how shared it was). */
export function machineInfo(): {
  cpus: number;
  model: string;
  ramGb: number;
  node: string;
  platform: string;
  loadAvgStart: number[];
} {
  const list = cpus();
  return {
    cpus: list.length,
    model: list[0]?.model.trim() ?? "unknown",
    ramGb: Math.round(totalmem() / 1e9),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAvgStart: loadavg(),
  };
}
