import { describe, expect, it } from "vitest";
import { parseDateBound, parseSearchArgs, SearchArgsError } from "./search-args.js";

describe("parseSearchArgs", () => {
  it("separates the query from kind and date filters (English and Chinese keys)", () => {
    expect(parseSearchArgs("快递 安全 kind:regulation since:2015 until:2020-02")).toEqual({
      query: "快递 安全",
      options: { kind: "regulation", since: "2015-01-01", until: "2020-02-29" },
    });
    expect(parseSearchArgs("寄递 类型：公告 年份:2014 条数:5")).toEqual({
      query: "寄递",
      options: { kind: "bulletin", since: "2014-01-01", until: "2014-12-31", k: 5 },
    });
  });

  it("keeps unknown key:value words in the query", () => {
    expect(parseSearchArgs("第十八条 http://x").query).toBe("第十八条 http://x");
  });

  it("rejects bad values with a message saying what to write", () => {
    expect(() => parseSearchArgs("x kind:memo")).toThrow(SearchArgsError);
    expect(() => parseSearchArgs("x since:2015-13")).toThrow(/2015-06-01/);
    expect(() => parseSearchArgs("x since:2020 until:2019")).toThrow(/晚于/);
    expect(() => parseSearchArgs("x k:0")).toThrow(/1 到 20/);
  });
});

describe("parseDateBound", () => {
  it("expands partial dates to the first or last day", () => {
    expect(parseDateBound("2024", false)).toBe("2024-01-01");
    expect(parseDateBound("2024-2", true)).toBe("2024-02-29");
    expect(parseDateBound("2024/11/30", true)).toBe("2024-11-30");
    expect(parseDateBound("2024年11月", true)).toBe("2024-11-30");
    expect(parseDateBound("2023-02-29", false)).toBeNull();
    expect(parseDateBound("昨天", false)).toBeNull();
  });
});
