import { describe, expect, it } from "vitest";
import { foldWidth, normalizeText, normalizeWhitespace, stripPinyin, toSimplified } from "./normalize.js";

describe("stripPinyin", () => {
  it("removes the inline pinyin glosses found in the real bulletins", () => {
    expect(stripPinyin("重大戰(zhàn)略部署")).toBe("重大戰略部署");
    expect(stripPinyin("新疆自治區(qū)郵政管理局")).toBe("新疆自治區郵政管理局");
    expect(stripPinyin("發(fā)布時間")).toBe("發布時間");
    expect(stripPinyin("點擊數(shù):")).toBe("點擊數:");
    expect(stripPinyin("全系統(tǒng)力量")).toBe("全系統力量");
    expect(stripPinyin("馬軍勝強調(diào),")).toBe("馬軍勝強調,");
    expect(stripPinyin("人才培養(yǎng)")).toBe("人才培養");
  });

  it("handles full-width parentheses and ü", () => {
    expect(stripPinyin("戰（zhàn）略")).toBe("戰略");
    expect(stripPinyin("旅(lǚ)客")).toBe("旅客");
    expect(stripPinyin("綠(lü)色")).toBe("綠色");
    expect(stripPinyin("長(zhǎng)江(jiāng)")).toBe("長江");
    expect(stripPinyin("中國(zhōng guó)")).toBe("中國");
  });

  it("keeps ordinary parentheses", () => {
    const keep = [
      "快件(以下统称快件)",
      "(一)依法经营",
      "文件(zip)",
      "压缩包 (zip) 格式",
      "邮(快)件",
      "微信(WeChat)",
      "(本文来源:国家邮政局)",
      "第(三)项",
      "产品(abc)", // no tone mark: not treated as pinyin
      "咖啡馆(café)", // toned, but not a pinyin syllable
      "词(élan)",
    ];
    for (const s of keep) expect(stripPinyin(s)).toBe(s);
  });
});

describe("toSimplified", () => {
  it("converts traditional to simplified", () => {
    expect(toSimplified("劉君副局長督導檢查亞歐博覽會郵路安保工作")).toBe("刘君副局长督导检查亚欧博览会邮路安保工作");
    expect(toSimplified("國家郵政局")).toBe("国家邮政局");
  });
  it("leaves simplified text alone", () => {
    expect(toSimplified("快递暂行条例 第十八条")).toBe("快递暂行条例 第十八条");
  });
});

describe("foldWidth", () => {
  it("folds full-width letters, digits and ASCII-like symbols", () => {
    expect(foldWidth("ＡＢＣ１２３ｘｙｚ")).toBe("ABC123xyz");
    expect(foldWidth("１００％")).toBe("100%");
    expect(foldWidth("２０２４－１０－１２")).toBe("2024-10-12");
  });
  it("keeps Chinese punctuation", () => {
    const s = "你好，世界。注意：第一；“引号”！为何？（一）、";
    expect(foldWidth(s)).toBe(s);
  });
});

describe("normalizeWhitespace", () => {
  it("strips \\r, collapses NBSP/ideographic space and blank-line runs", () => {
    expect(normalizeWhitespace("a\r\n\u00a0\u00a0b\u3000\u3000c \r\n\r\n\r\n\r\nd\u200b")).toBe("a\nb c\n\nd");
  });
});

describe("normalizeText", () => {
  it("applies every step, for documents and queries alike", () => {
    expect(normalizeText("  發(fā)布時間:２０１４-08-27 \r\n")).toBe("发布时间:2014-08-27");
    expect(normalizeText("抗戰(zhàn)勝利７０周年")).toBe("抗战胜利70周年");
  });
  it("is idempotent", () => {
    const once = normalizeText("新疆自治區(qū)郵政管理局\u3000（一）ＡＢＣ");
    expect(normalizeText(once)).toBe(once);
  });
});
