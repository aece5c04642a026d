import { describe, expect, it } from "vitest";
import { stripMarkdown } from "./markdown.js";

describe("stripMarkdown", () => {
  it("removes syntax but keeps headings and list items as lines", () => {
    const md = [
      "# 标题 #",
      "",
      "<!-- INFO",
      "END -->",
      "## 第一章　总则",
      "",
      "> 引用的**重点**内容",
      "",
      "- 第一项 `代码`",
      "* 第二项 [链接](http://x.invalid) ![图](a.png)",
      "1. 有序项",
      "",
      "| 列一 | 列二 |",
      "| --- | :---: |",
      "| 甲 | 乙 |",
      "",
      "```",
      "原样 *保留*",
      "```",
      "---",
      "转义 \\* 星号，_强调_ 与 ~~删除~~<br/>",
      "[ref]: http://x.invalid",
    ].join("\n");
    const { text, heading } = stripMarkdown(md);
    expect(heading).toBe("标题");
    expect(text.split("\n")).toEqual([
      "标题",
      "",
      "", // where the comment was
      "第一章　总则",
      "",
      "引用的重点内容",
      "",
      "第一项 代码",
      "第二项 链接 图",
      "1. 有序项",
      "",
      "列一 列二",
      "甲 乙",
      "",
      "原样 *保留*",
      "",
      "转义 * 星号，强调 与 删除",
    ]);
  });

  it("only a level-1 heading is the title", () => {
    expect(stripMarkdown("## 第一章\n正文").heading).toBeUndefined();
  });
});
