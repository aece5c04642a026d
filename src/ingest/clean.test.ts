import { describe, expect, it } from "vitest";
import { cleanText, isSourceLine } from "./clean.js";

describe("cleanText", () => {
  it("removes page chrome and keeps the body as published", () => {
    const raw = [
      "劉君副局長督導檢查亞歐博覽會郵路安保工作?",
      "",
      "發(fā)布時間:2014-08-27",
      "點擊數:",
      "\u00a0",
      " ",
      "圖為劉君一行在順豐公司分揀中心檢查。",
      "\u3000",
      "    8月25日,國家郵政局召開座談會。 ",
      "  ",
      "    劉君強調要做好工作: ",
      "(本文來源:國家郵政局)",
      "",
    ].join("\r\n");
    const out = cleanText(raw);
    expect(out).toEqual({
      text: [
        "劉君副局長督導檢查亞歐博覽會郵路安保工作",
        "",
        "8月25日,國家郵政局召開座談會。",
        "",
        "劉君強調要做好工作:",
        "(本文來源:國家郵政局)",
      ].join("\n"),
      publishedDate: "2014-08-27",
      source: "国家邮政局",
    });
  });

  it("recognises simplified and full-width variants", () => {
    const out = cleanText("标题\n发布时间：２０２４年１０月１２日\n点击数：１２３\n浏览次数: 45\n图为会议现场\n正文。");
    expect(out).toEqual({ text: "标题\n正文。", publishedDate: "2024-10-12" });
  });

  it("drops web page furniture", () => {
    const raw =
      "标题\n当前位置：首页 > 新闻中心\n【字体：大 中 小】\n正文。\n【打印本页】 【关闭窗口】\n分享到：微信 微博";
    expect(cleanText(raw).text).toBe("标题\n正文。");
  });

  it("reads a source given on the 发布时间 line", () => {
    expect(cleanText("标题\n发布时间：2024-10-12 来源：国家邮政局\n正文。")).toEqual({
      text: "标题\n正文。",
      publishedDate: "2024-10-12",
      source: "国家邮政局",
    });
  });

  it("only strips a trailing ? on the title line", () => {
    expect(cleanText("标题?\n真的吗?").text).toBe("标题\n真的吗?");
  });

  it("keeps a 发布时间 line it cannot read as a date", () => {
    expect(cleanText("标题\n发布时间：不详").text).toBe("标题\n发布时间：不详");
  });
});

describe("isSourceLine", () => {
  it("matches source lines only", () => {
    expect(isSourceLine("(本文来源:国家邮政局)")).toBe(true);
    expect(isSourceLine("来源：新华社")).toBe(true);
    expect(isSourceLine("资金来源:财政拨款。各单位要落实。")).toBe(false);
  });
});
