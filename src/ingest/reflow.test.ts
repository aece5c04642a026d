import { describe, expect, it } from "vitest";
import { reflowLines } from "./reflow.js";

describe("reflowLines", () => {
  it("joins wrapped lines of a paragraph, also across a page break, and drops page numbers", () => {
    const text = [
      "关于做好快递安全工作的通知",
      "各省、自治区、直辖市邮政管理局：",
      "为切实做好寄递渠道安全工作，保障人民群众生命财产安",
      "全，现就有关事项通知如下：",
      "一、严格落实收寄验视制度，各寄递企业要对交寄物品进",
      "- 1 -",
      "",
      "行当面验视。",
      "二、加强安全检查。",
      "第 2 页 共 2 页",
    ].join("\n");
    expect(reflowLines(text).split("\n")).toEqual([
      "关于做好快递安全工作的通知",
      "各省、自治区、直辖市邮政管理局：",
      "为切实做好寄递渠道安全工作，保障人民群众生命财产安全，现就有关事项通知如下：",
      "一、严格落实收寄验视制度，各寄递企业要对交寄物品进行当面验视。",
      "二、加强安全检查。",
    ]);
  });

  it("does not join a full line to the next article or point", () => {
    const text = [
      "第一条 为了规范快递服务，保护用户合法权益，根据有关法律制定",
      "第二条 本条例适用于本省行政区域。",
    ].join("\n");
    expect(reflowLines(text).split("\n")).toHaveLength(2);
  });

  it("leaves short lines (headings, signatures) alone", () => {
    const text = "国家邮政局办公室\n2024年12月20日";
    expect(reflowLines(text)).toBe(text);
  });
});
