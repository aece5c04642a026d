import { describe, expect, it } from "vitest";
import { escapeHtml, renderHtml, splitMessage } from "./format.js";

describe("escapeHtml", () => {
  it("escapes &, <, > and double quotes", () => {
    expect(escapeHtml(`<b>"甲" & 乙</b>`)).toBe("&lt;b&gt;&quot;甲&quot; &amp; 乙&lt;/b&gt;");
  });
});

describe("renderHtml", () => {
  it("renders headings bold, lists numbered and citations as a numbered list", () => {
    const html = renderHtml([
      { type: "heading", text: "标题<1>" },
      { type: "list", items: ["一", "二"] },
      {
        type: "citations",
        citations: [
          { n: 1, docId: "d", title: "条例", date: "2018-03-02", section: "第一条", path: "a.md", quote: "原文" },
        ],
        full: true,
      },
    ]);
    expect(html).toBe(
      "<b>标题&lt;1&gt;</b>\n1. 一\n2. 二\n\n[1] 《条例》 第一条 (2018-03-02)\n<blockquote>原文</blockquote>\n<i>a.md</i>",
    );
  });
});

describe("splitMessage", () => {
  it("returns short messages unchanged", () => {
    expect(splitMessage("短消息。")).toEqual(["短消息。"]);
    expect(splitMessage("   ")).toEqual([]);
  });

  it("splits at sentence ends, under the limit, losing nothing", () => {
    const text = Array.from({ length: 40 }, (_, i) => `第${i}句话写在这里。`).join("");
    const parts = splitMessage(text, 100);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(100);
      expect(p.endsWith("。")).toBe(true);
    }
    expect(parts.join("")).toBe(text);
  });

  it("prefers newlines and ！？ as boundaries too", () => {
    const parts = splitMessage(`${"甲".repeat(60)}！${"乙".repeat(30)}\n${"丙".repeat(50)}`, 100);
    expect(parts[0]).toBe(`${"甲".repeat(60)}！${"乙".repeat(30)}`);
    expect(parts[1]).toBe("丙".repeat(50));
  });

  it("never cuts inside a tag or an entity, and closes/reopens tags across a cut", () => {
    const inner = Array.from({ length: 30 }, () => "甲&amp;乙。").join("");
    const html = `<b>${inner}</b>`;
    const parts = splitMessage(html, 64);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(64);
      expect(p.startsWith("<b>")).toBe(true);
      expect(p.endsWith("</b>")).toBe(true);
      expect(p).not.toMatch(/&[a-z]*$|&[a-z]*<\/b>$/);
      expect((p.match(/&amp;/g) ?? []).length).toBe((p.match(/&/g) ?? []).length); // no entity cut in half
    }
    expect(parts.map((p) => p.slice(3, -4)).join("")).toBe(inner);
  });

  it("hard-splits text with no boundary at all", () => {
    const parts = splitMessage("字".repeat(250), 100);
    expect(parts.map((p) => p.length)).toEqual([100, 100, 50]);
  });

  it("keeps surrogate pairs whole", () => {
    const parts = splitMessage("𠀀".repeat(120), 101);
    for (const p of parts) expect(p.length % 2).toBe(0);
    expect(parts.join("")).toBe("𠀀".repeat(120));
  });
});
