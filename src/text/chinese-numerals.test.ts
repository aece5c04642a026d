import { describe, expect, it } from "vitest";
import { CN_NUMERAL_CHARS, parseChineseNumeral, toChineseNumeral } from "./chinese-numerals.js";

describe("parseChineseNumeral", () => {
  it.each([
    ["2024", 2024],
    ["07", 7],
    ["3万", 30000],
    ["12万", 120000],
    ["二〇二四", 2024],
    ["二〇〇六", 2006],
    ["零七", 7],
    ["九零", 90],
    ["二○一五", 2015],
    ["二O一九", 2019],
    ["一", 1],
    ["十", 10],
    ["十二", 12],
    ["二十", 20],
    ["二十九", 29],
    ["三十一", 31],
    ["一百零五", 105],
    ["两千零二十四", 2024],
    ["两千", 2000],
    ["七十", 70],
    ["三万", 30000],
    ["十万", 100000],
    ["一亿二千万", 120000000],
    ["廿二", 22],
    ["廿", 20],
    ["卅一", 31],
    ["叁拾", 30],
    ["壹佰贰拾", 120],
    ["两", 2],
  ])("%s → %d", (s, n) => expect(parseChineseNumeral(s)).toBe(n));

  it.each(["", "正", "半", "十a", "年", "第三"])("%j is not a numeral", (s) =>
    expect(parseChineseNumeral(s)).toBeNull(),
  );

  it("the regex class holds every Chinese character it parses", () => {
    for (const c of "〇零一二两三四五六七八九十百千万亿廿卅壹拾") expect(CN_NUMERAL_CHARS).toContain(c);
  });
});

describe("toChineseNumeral", () => {
  it.each([
    [1, "一"],
    [10, "十"],
    [12, "十二"],
    [20, "二十"],
    [99, "九十九"],
    [120, "120"],
  ])("%d → %s", (n, s) => expect(toChineseNumeral(n)).toBe(s));
  it("rejects non-integers", () => expect(() => toChineseNumeral(1.5)).toThrow(RangeError));
  it("round-trips 0–99", () => {
    for (let n = 0; n < 100; n++) expect(parseChineseNumeral(toChineseNumeral(n))).toBe(n);
  });
});
