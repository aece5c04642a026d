import { describe, expect, it } from "vitest";
import { houseDate, findDates } from "./house-date.js";
import { parseChineseNumeral, toChineseNumeral } from "../../text/chinese-numerals.js";
import { checkNumbering, ordinal, splitInlineOrdinals, stripOrdinal } from "./ordinals.js";

describe("ordinals", () => {
  it("writes 一要…十二要 and 一是", () => {
    expect([1, 2, 3, 10, 12].map((n) => ordinal(n, "要"))).toEqual(["一要", "二要", "三要", "十要", "十二要"]);
    expect(ordinal(4, "是")).toBe("四是");
  });

  it("strips list markers and ordinals from points, keeping the wording", () => {
    expect(stripOrdinal("1. 要加强监管")).toEqual({ text: "要加强监管" });
    expect(stripOrdinal("（二）加强监管")).toEqual({ text: "加强监管" });
    expect(stripOrdinal("三要加强监管")).toEqual({ text: "加强监管", style: "要" });
    expect(stripOrdinal("- 一是提高认识")).toEqual({ text: "提高认识", style: "是" });
    expect(stripOrdinal("一是否落实")).toEqual({ text: "一是否落实" });
  });

  it("splits an inline 一要…二要… run only when it counts from 一", () => {
    expect(splitInlineOrdinals("马军胜要求，一要抓安全。二要抓服务。")).toEqual({
      lead: "马军胜要求，",
      items: ["抓安全。", "抓服务。"],
      style: "要",
    });
    expect(splitInlineOrdinals("统一要求各地落实。")).toBeNull();
  });

  it("flags mixed styles and gaps, accepts a fresh list restarting at 一", () => {
    expect(checkNumbering("一要甲。\n二要乙。\n三要丙。").consistent).toBe(true);
    expect(checkNumbering("一是甲。\n二是乙。\n下一步：\n一是丙。\n二是丁。").consistent).toBe(true);
    expect(checkNumbering("一要甲。\n二是乙。").consistent).toBe(false);
    expect(checkNumbering("一要甲。\n三要乙。").consistent).toBe(false);
    expect(checkNumbering("要统一要求。").ordinals).toEqual([]);
  });
});

describe("numerals and dates", () => {
  it("converts Chinese numerals", () => {
    expect(toChineseNumeral(21)).toBe("二十一");
    expect(parseChineseNumeral("七十")).toBe(70);
    expect(parseChineseNumeral("二〇一五")).toBe(2015);
    expect(parseChineseNumeral("三万")).toBe(30000);
    expect(parseChineseNumeral("十二")).toBe(12);
    expect(parseChineseNumeral("抗战")).toBeNull();
  });

  it("finds dates written many ways and writes them the house way", () => {
    const text = "2015年9月29日召开；2014-08-27发布；九月三十日；10月1号";
    expect(findDates(text).map((d) => [d.year, d.month, d.day])).toEqual([
      [2015, 9, 29],
      [2014, 8, 27],
      [undefined, 9, 30],
      [undefined, 10, 1],
    ]);
    expect(findDates("增长3.5%")).toEqual([]);
    expect(findDates("9.29 召开", { allowShort: true })[0]).toMatchObject({ month: 9, day: 29 });
    expect(houseDate({ month: 9, day: 29 })).toBe("9月29日");
    expect(houseDate({ month: 9, day: 28, end: { month: 9, day: 29 } })).toBe("9月28日至29日");
    expect(houseDate({ month: 9, day: 30, end: { month: 10, day: 2 } })).toBe("9月30日至10月2日");
  });
});
