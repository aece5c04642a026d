import { describe, expect, it } from "vitest";
import { escapeMarkdown, renderMarkdown, splitText } from "./markdown.js";

describe("escapeMarkdown", () => {
  it("neutralises inline markers, HTML and line-start markers, and leaves dates and numbers alone", () => {
    expect(escapeMarkdown("**粗** [链](http://x) `c` _i_ ~s~ a|b")).toBe(
      "\\*\\*粗\\*\\* \\[链\\](http://x) \\`c\\` \\_i\\_ \\~s\\~ a\\|b",
    );
    expect(escapeMarkdown("<font color=red>&</font>")).toBe("&lt;font color=red&gt;&amp;&lt;/font&gt;");
    expect(escapeMarkdown("# 标题\n- 项\n12. 条\n> 引")).toBe("\\# 标题\n\\- 项\n12\\. 条\n&gt; 引");
    expect(escapeMarkdown("2018-03-02 施行，第3.5条")).toBe("2018-03-02 施行，第3.5条");
  });
});

describe("renderMarkdown", () => {
  it("numbers citations by their numbers and offers admin actions only to admins", () => {
    const reply = {
      blocks: [
        { type: "text" as const, text: "答案[2]" },
        {
          type: "citations" as const,
          citations: [
            {
              n: 2,
              docId: "d",
              title: "快递暂行条例",
              section: "第十七条",
              date: "2018-03-02",
              path: "p.md",
              quote: "q",
            },
          ],
        },
      ],
      actions: [{ id: "add:abc", label: "加入语料库", role: "admin" as const }],
    };
    expect(renderMarkdown(reply, { role: "user" })).toBe("答案\\[2\\]\n\n2. 《快递暂行条例》 第十七条 (2018-03-02)");
    expect(renderMarkdown(reply, { role: "admin" })).toContain("发送 /add abc 加入语料库");
  });
});

describe("splitText", () => {
  it("cuts at paragraph, line or sentence ends under a character or byte limit", () => {
    const text = "第一段第一句。第一段第二句。\n\n第二段。";
    expect(splitText(text, { maxChars: 16 })).toEqual(["第一段第一句。第一段第二句。", "第二段。"]);
    expect(splitText("甲甲甲。乙乙乙。丙丙丙。", { maxBytes: 24 })).toEqual(["甲甲甲。乙乙乙。", "丙丙丙。"]);
  });
  it("cuts hard when no boundary is in reach, never inside a surrogate pair or after an escaping backslash", () => {
    const parts = splitText("𠀀".repeat(10), { maxChars: 5 });
    expect(parts.join("")).toBe("𠀀".repeat(10));
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(5);
    expect(parts.every((p) => !/[\ud800-\udbff]$/.test(p))).toBe(true);
    const esc = splitText("aaa\\*bbb", { maxChars: 4 });
    expect(esc[0]).toBe("aaa");
    expect(esc.join("")).toBe("aaa\\*bbb");
  });
  it("keeps a text that fits whole, and bounds a 1 MB line without punctuation", () => {
    expect(splitText("短。", { maxChars: 100 })).toEqual(["短。"]);
    const parts = splitText("字".repeat(1_000_000), { maxBytes: 20_000 });
    expect(parts.every((p) => Buffer.byteLength(p) <= 20_000)).toBe(true);
    expect(parts.join("").length).toBe(1_000_000);
  });
});
