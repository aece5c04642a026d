/** `extract` through the CLI dispatcher with an injected io: stdin, files of every loader, --json, --ics. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/channels/cli/main.js";
import { captureIo } from "./fakes/capture-io.js";
import { toIcs } from "../src/assistant/extract/ics.js";
import { extractFromText } from "../src/assistant/extract/extract.js";
import { makeChinesePdf } from "./fixtures/ingest/make-pdf.js";
import { writeFile } from "node:fs/promises";

const fixture = new URL("./fixtures/extract/all-forms.txt", import.meta.url).pathname;
const evalDir = new URL("../evals/extract/", import.meta.url).pathname;

const fakeIo = (stdin = "", now = new Date("2026-11-23T04:00:00Z")) => captureIo({ stdin, now });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "extract-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function parseIcs(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents("vevent").map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      start: e.startDate,
      rrule: v.getFirstPropertyValue("rrule")?.toString() ?? null,
    };
  });
}

describe("npm run extract", () => {
  it("reads a notice from stdin with - and prints the contract JSON", async () => {
    const f = fakeIo("各市局：\n请各单位于1月5日前报送年度总结。\n");
    expect(await runCli(["extract", "--json", "--ref", "2023-12-20", "-"], f.io)).toBe(0);
    const r = JSON.parse(f.out());
    expect(Object.keys(r)).toEqual(expect.arrayContaining(["ref", "times", "deadlines", "actions"]));
    expect(r.ref).toBe("2023-12-20");
    expect(r.times[0]).toMatchObject({ text: "1月5日前", start: null, end: "2024-01-05", kind: "before" });
    expect(r.deadlines[0]).toMatchObject({ end: "2024-01-05", item: "报送年度总结" });
    expect(r.actions[0]).toMatchObject({
      owner: "各单位",
      action: "报送年度总结",
      deadline: { start: null, end: "2024-01-05" },
    });
  });

  it("uses the injected clock when the notice carries no date", async () => {
    const f = fakeIo("请于下月九号前报送。");
    await runCli(["extract", "--json", "-"], f.io);
    expect(JSON.parse(f.out())).toMatchObject({ ref: "2026-11-23", times: [{ end: "2026-12-09" }] });
  });

  it("prints a table sorted by date by default", async () => {
    const f = fakeIo();
    expect(await runCli(["extract", fixture], f.io)).toBe(0);
    const text = f.out();
    expect(text).toMatch(/发文日期 \(ref\): 2024-10-12/);
    const dates = [...text.matchAll(/^(?:≤ )?(\d{4}-\d{2}-\d{2})(?: \d\d:\d\d)?(?: – (\d{4}-\d{2}-\d{2}))?/gm)].map(
      (m) => m[2] ?? m[1],
    );
    const deadlineRows = dates.slice(0, 11);
    expect(deadlineRows).toEqual([...deadlineRows].sort());
    expect(text).toMatch(/Other times/);
  });

  it.each([
    ["n16-markdown.md", "2024-02-26", "2024-03-15"],
    ["n17-html.html", "2024-05-20", "2024-05-31"],
    ["n08-traditional.txt", "2024-11-25", "2024-12-10"],
  ])("loads %s with the ingest loaders", async (file, ref, firstDeadline) => {
    const f = fakeIo();
    expect(await runCli(["extract", "--json", join(evalDir, file)], f.io)).toBe(0);
    const r = JSON.parse(f.out());
    expect(r.ref).toBe(ref);
    expect(r.deadlines[0].end).toBe(firstDeadline);
  });

  it("reads a Chinese PDF notice through the ingest loader", async () => {
    const pdf = join(dir, "notice.pdf");
    await writeFile(
      pdf,
      makeChinesePdf([
        [
          "关于报送安全检查情况的通知",
          "各寄递企业：",
          "一、各寄递企业要于11月30日前报送自查报告。",
          "二、市局将于12月上旬开展抽查。",
          "某市邮政管理局",
          "2024年10月12日",
        ],
      ]),
    );
    const f = fakeIo();
    expect(await runCli(["extract", "--json", pdf], f.io)).toBe(0);
    const r = JSON.parse(f.out());
    expect(r.ref).toBe("2024-10-12");
    expect(r.deadlines.map((d: { end: string }) => d.end)).toEqual(["2024-11-30", "2024-12-10"]);
    expect(r.actions.map((a: { owner: string }) => a.owner)).toEqual(["各寄递企业", "市局"]);
  });

  it("writes an iCalendar file that ical.js parses back with one event per deadline", async () => {
    const out = join(dir, "notice.ics");
    const f = fakeIo();
    expect(await runCli(["extract", "--ics", out, fixture], f.io)).toBe(0);
    expect(f.err()).toMatch(/Wrote 11 calendar event/);
    const events = parseIcs(await readFile(out, "utf8"));
    expect(events).toHaveLength(11);
    const byStart = events.map((e) => `${e.start.toString()}${e.start.isDate ? "" : " timed"}`);
    expect(byStart).toContain("2024-10-25");
    expect(byStart).toContain("2024-11-30");
    expect(byStart).toContain("2024-10-18T07:00:00Z timed"); // 下周五下午3:00 Beijing time
    const daily = events.find((e) => e.rrule?.startsWith("FREQ=DAILY"));
    expect(daily?.rrule).toBe("FREQ=DAILY;UNTIL=20241231T155959Z");
    expect(events.every((e) => /all-forms\.txt/.test(e.description))).toBe(true);
    expect(events.some((e) => /将旺季工作总结报送市局/.test(e.summary))).toBe(true);
  });

  it("fails with a clear message for a missing file and for a bad --ref", async () => {
    const f = fakeIo();
    expect(await runCli(["extract", join(dir, "nope.txt")], f.io)).toBe(1);
    expect(f.err()).toMatch(/nope\.txt/);
    const g = fakeIo("请于11月30日前报送。");
    expect(await runCli(["extract", "--ref", "tomorrow", "-"], g.io)).toBe(1);
    expect(g.err()).toMatch(/YYYY-MM-DD/);
    const h = fakeIo();
    expect(await runCli(["extract"], h.io)).toBe(2);
  });
});

describe("toIcs", () => {
  const r = extractFromText(
    "关于某事的通知\n各单位：\n一、各企业要于11月30日前报送总结。\n二、请于下周五下午3:00前报送名单。\n三、各企业须每月5日前报送报表。\n某局\n2024年10月12日",
    { today: "2030-01-01" },
  );
  const now = new Date("2026-11-23T00:00:00Z");
  it("derives stable UIDs from the content", () => {
    const a = parseIcs(toIcs(r, { source: "n.txt", now })).map((e) => e.uid);
    const b = parseIcs(toIcs(r, { source: "n.txt", now: new Date("2027-01-01T00:00:00Z") })).map((e) => e.uid);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(3);
    expect(parseIcs(toIcs(r, { source: "other.txt", now }))[0]!.uid).not.toBe(a[0]);
  });
  it("writes all-day events for dates, timed ones for date-times, RRULE for recurring", () => {
    const ev = parseIcs(toIcs(r, { source: "n.txt", now }));
    expect(ev[0]!.start.isDate).toBe(true);
    expect(ev[0]!.start.toString()).toBe("2024-11-30");
    expect(ev[1]!.start.isDate).toBe(false);
    expect(ev[2]!.rrule).toBe("FREQ=MONTHLY;BYMONTHDAY=5");
    expect(ev[2]!.start.toString()).toBe("2024-11-05");
  });
});
