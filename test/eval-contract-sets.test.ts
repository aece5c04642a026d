/**
 * The eval runner runs a contract set: items with only the contract's fields (no `expect`/`gold`) are run and
 * their output returned, and count in no metric (../shared/CLI-CONTRACT.md, Evaluate).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;

async function evalJson(suite: string, lines: object[]) {
  const dir = await mkdtemp(join(tmpdir(), "eval-contract-"));
  try {
    const set = join(dir, "set.jsonl");
    await writeFile(set, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const { stdout } = await run(process.execPath, ["--import", "tsx", "evals/run.ts", suite, "--set", set, "--json"], {
      cwd: root,
    });
    return JSON.parse(stdout) as {
      suite: string;
      items: { id: string; output: { times: { end: string | null }[]; deadlines: unknown[] } }[];
      metrics: Record<string, unknown>;
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("eval runner on contract sets without gold", () => {
  it("timex: runs items without expect, metrics only over gold items", async () => {
    const r = await evalJson("timex", [
      { id: "a", text: "请于11月30日前报送。", ref: "2024-10-12" },
      {
        id: "b",
        text: "请于11月30日前报送。",
        ref: "2024-10-12",
        expect: [{ start: null, end: "2024-11-30", kind: "before" }],
      },
    ]);
    expect(r.items.map((i) => i.id)).toEqual(["a", "b"]);
    expect(r.items[0]!.output.times[0]!.end).toBe("2024-11-30");
    expect(r.metrics.scored).toBe(1);
    expect(r.metrics.accuracy).toBe(1);
  }, 60_000);

  it("extract: runs a notice without gold or ref", async () => {
    const file = join(root, "evals/extract/n01-peak-season.txt");
    const r = await evalJson("extract", [{ id: "n", file }]);
    expect(r.items[0]!.output.deadlines.length).toBeGreaterThan(0);
    expect(r.metrics.scored).toBe(0);
    expect(r.metrics.deadlineF1).toBeNull();
  }, 60_000);
});
