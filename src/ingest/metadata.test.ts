import { describe, expect, it } from "vitest";
import { isDateOnlyLine, parseDate } from "./dates.js";
import { docIdFor, inferKind, inferMetadata, titleFromFileName } from "./metadata.js";

describe("parseDate", () => {
  it("reads the date forms used in official documents", () => {
    expect(parseDate("2014-08-27")).toBe("2014-08-27");
    expect(parseDate("2014/8/7")).toBe("2014-08-07");
    expect(parseDate("2014.08.27")).toBe("2014-08-27");
    expect(parseDate("2018年3月2日 中华人民共和国国务院令第697号公布")).toBe("2018-03-02");
    expect(parseDate("二〇二四年十月十二日")).toBe("2024-10-12");
    expect(parseDate("二〇一八年三月二十一日")).toBe("2018-03-21");
    expect(parseDate("２０２４年１月５日")).toBe("2024-01-05");
  });
  it("rejects impossible or absent dates", () => {
    expect(parseDate("2023-02-30")).toBeNull();
    expect(parseDate("无日期")).toBeNull();
  });
  it("recognises a date-only signature line", () => {
    expect(isDateOnlyLine("2024年10月12日")).toBe(true);
    expect(isDateOnlyLine("二〇二四年十月十二日")).toBe(true);
    expect(isDateOnlyLine("2024年10月12日前完成")).toBe(false);
  });
});

describe("ids and file-name titles", () => {
  it("builds ids relative to the root without extension, with / separators", () => {
    expect(docIdFor("/c/regulations/快递暂行条例.md", "/c")).toBe("regulations/快递暂行条例");
    expect(docIdFor("/c/a.b/x.v2.txt", "/c")).toBe("a.b/x.v2");
    expect(docIdFor("/somewhere/file.pdf")).toBe("file");
  });
  it("drops a leading date from the file name", () => {
    expect(titleFromFileName("/x/2014-08-27 劉君副局長.txt")).toBe("劉君副局長");
    expect(titleFromFileName("/x/2014-08-27.txt")).toBe("2014-08-27");
  });
});

describe("inferKind", () => {
  it("regulation by title suffix or by article structure", () => {
    expect(inferKind("快递暂行条例", "")).toBe("regulation");
    expect(inferKind("中华人民共和国邮政法", "")).toBe("regulation");
    expect(inferKind("邮政法实施细则", "")).toBe("regulation");
    expect(inferKind("快递市场管理办法(修订)", "")).toBe("regulation");
    expect(inferKind("某文件", "第一条 甲。\n第二条 乙。\n第三条 丙。")).toBe("regulation");
  });
  it("notice by title words, bulletin otherwise", () => {
    expect(inferKind("关于印发《快递市场管理办法》的通知", "")).toBe("notice");
    expect(inferKind("关于加快推进快递包装绿色转型的意见", "")).toBe("notice");
    expect(inferKind("邮政业安全生产专项整治实施方案", "")).toBe("notice");
    expect(inferKind("刘君副局长督导检查亚欧博览会邮路安保工作", "正文。")).toBe("bulletin");
  });
});

describe("inferMetadata", () => {
  const base = { path: "/c/2020-01-02 某某.txt", root: "/c" };

  it("prefers front matter, then 发布时间, then a signature date, then the file name", () => {
    const text = "通报标题\n正文。\n2021年3月4日";
    expect(
      inferMetadata({ ...base, raw: { text, date: "2019-01-01" }, cleaned: { text, publishedDate: "2018-01-01" } })
        .date,
    ).toBe("2019-01-01");
    expect(inferMetadata({ ...base, raw: { text }, cleaned: { text, publishedDate: "2018-01-01" } }).date).toBe(
      "2018-01-01",
    );
    expect(inferMetadata({ ...base, raw: { text }, cleaned: { text } }).date).toBe("2021-03-04");
    expect(inferMetadata({ ...base, raw: { text: "标题\n正文。" }, cleaned: { text: "标题\n正文。" } }).date).toBe(
      "2020-01-02",
    );
  });

  it("takes the last header date for a regulation without other dates", () => {
    const text = "某某法\n2009年4月24日 通过\n2015年4月24日 修正\n第一章 总则\n第一条 内容。\n2016年1月1日";
    const m = inferMetadata({ path: "/c/某某法.md", raw: { text, title: "某某法" }, cleaned: { text } });
    expect(m).toMatchObject({ kind: "regulation", date: "2016-01-01" });
    const noSignature = "某某法\n2009年4月24日 通过\n2015年4月24日 修正\n第一章 总则\n第一条 内容。";
    expect(
      inferMetadata({
        path: "/c/某某法.md",
        raw: { text: noSignature, title: "某某法" },
        cleaned: { text: noSignature },
      }).date,
    ).toBe("2015-04-24");
  });

  it("title: explicit > first line when it reads like a headline > file name", () => {
    const t = "第一段就是正文，而且很长。";
    expect(inferMetadata({ ...base, raw: { text: t }, cleaned: { text: t } }).title).toBe("某某");
    expect(inferMetadata({ ...base, raw: { text: "標題\n正文。" }, cleaned: { text: "標題行\n正文。" } }).title).toBe(
      "标题行",
    );
    expect(
      inferMetadata({ ...base, raw: { text: "x", title: "明確標題" }, cleaned: { text: "别的\n正文。" } }).title,
    ).toBe("明确标题");
  });

  it("kind: front matter > caller > inference", () => {
    const text = "关于某事的通知\n正文。";
    expect(inferMetadata({ ...base, raw: { text }, cleaned: { text } }).kind).toBe("notice");
    expect(inferMetadata({ ...base, raw: { text }, cleaned: { text }, kind: "bulletin" }).kind).toBe("bulletin");
    expect(
      inferMetadata({ ...base, raw: { text, kind: "regulation" }, cleaned: { text }, kind: "bulletin" }).kind,
    ).toBe("regulation");
  });
});
