import { describe, expect, it } from "vitest";
import { findPassage } from "./passage.js";

describe("findPassage", () => {
  const text = "第十七条 经营快递业务的企业\n应当依法备案。\n\n第十八条 快递末端网点应当自开办之日起20日内备案。";

  it("finds a passage across line breaks and maps back to the shown text", () => {
    const h = findPassage(text, ["经营快递业务的企业应当依法备案。"]);
    expect(h).not.toBeNull();
    expect(text.slice(h!.start, h!.end)).toBe("经营快递业务的企业\n应当依法备案。");
  });

  it("falls back to the quote when the passage is not in the text", () => {
    const h = findPassage(text, ["（不在文中的段落）", "自开办之日起20日内备案"]);
    expect(text.slice(h!.start, h!.end)).toBe("自开办之日起20日内备案");
  });

  it("anchors a long passage with a changed middle on its ends", () => {
    const long = "第十八条 快递末端网点应当自开办之日起20日内备案，" + "并如实提供有关材料以备检查。";
    const doc = `前言。\n${long.replace("如实", "按要求")}\n后记。`;
    const h = findPassage(doc, [long]);
    expect(h).not.toBeNull();
    expect(doc.slice(h!.start, h!.end).startsWith("第十八条")).toBe(true);
  });

  it("returns null when nothing matches", () => {
    expect(findPassage(text, ["毫不相关的内容出现在这里"])).toBeNull();
  });
});
