import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/channels/cli/main.js";
import type { CliIo } from "../src/channels/cli/io.js";

function fakeIo(stdin = ""): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
    readStdin: async () => Buffer.from(stdin, "utf8"),
    env: {} as Record<string, string | undefined>,
    now: () => new Date("2026-01-01T00:00:00Z"),
  };
  return io;
}

const notes =
  "会议：座谈会\n时间：2024年5月20日\n主办：国家邮政局\n讲话：国家邮政局局长马军胜\n指出：形势总体平稳。\n强调：\n1. 抓安全。\n2. 抓服务。";

describe("npm run draft", () => {
  it("reads notes from stdin with - and prints the contract's JSON", async () => {
    const io = fakeIo(notes);
    expect(await runCli(["draft", "--json", "-"], io)).toBe(0);
    const r = JSON.parse(io.out) as { title: string; text: string; warnings: string[]; form: string; via: string };
    expect(Object.keys(r)).toEqual(expect.arrayContaining(["title", "text", "warnings"]));
    expect(r.title).toBe("国家邮政局召开座谈会");
    expect(r.text).toMatch(/^5月20日，国家邮政局召开座谈会。国家邮政局局长马军胜出席会议并讲话。/);
    expect(r.text).toContain("一要抓安全。");
    expect(r.warnings.some((w) => w.includes("主持"))).toBe(true);
    expect(r.via).toBe("template");
  });

  it("prints a readable draft and the warnings on stderr without --json; --form summary is honoured", async () => {
    const dir = await mkdtemp(join(tmpdir(), "draft-cli-"));
    try {
      const file = join(dir, "notes.txt");
      await writeFile(file, "单位：某市邮政管理局\n成绩：\n- 完成检查120次\n- 查处案件8起\n下一步：\n- 加强培训");
      const io = fakeIo();
      expect(await runCli(["draft", file], io)).toBe(0);
      expect(io.out).toMatch(/^某市邮政管理局工作总结\n\n/);
      expect(io.out).toContain("一是完成检查120次。");
      expect(io.err).toMatch(/注意：.*期间/);
      const io2 = fakeIo();
      expect(await runCli(["draft", "--json", "--form", "bulletin", file], io2)).toBe(0);
      expect(JSON.parse(io2.out).form).toBe("bulletin");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gives usage errors and input errors their own exit codes", async () => {
    const io = fakeIo();
    expect(await runCli(["draft"], io)).toBe(2);
    expect(io.err).toMatch(/Usage/);
    const io2 = fakeIo();
    expect(await runCli(["draft", "--form", "memo", "-"], io2)).toBe(2);
    const io3 = fakeIo();
    expect(await runCli(["draft", "/nonexistent/notes.txt"], io3)).toBe(1);
    expect(io3.err).toMatch(/notes\.txt.*check the path/);
    const io4 = fakeIo("  ");
    expect(await runCli(["draft", "-"], io4)).toBe(1);
    expect(io4.err).toMatch(/empty/);
  });
});
