/**
 * The drafter end to end: template path (files really read from promptsDir, warnings for missing
 * fields, summary form, fidelity 0) and the LLM path with LangChain's FakeListChatModel (invented
 * facts regenerated or removed, provider errors and timeouts fall back to the templates).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BaseMessage } from "@langchain/core/messages";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDrafter } from "../src/assistant/draft/drafter.js";
import { checkFidelity } from "../src/assistant/draft/fidelity.js";

const root = resolve(import.meta.dirname, "..");
const promptsDir = join(root, "prompts");
const notes2015 = () => readFile(join(root, "evals/draft/2015-summary-teleconference.txt"), "utf8");

describe("template path", () => {
  it("drafts the 2015 reconstruction in the house structure, with no fact outside the notes", async () => {
    const notes = await notes2015();
    const r = await createDrafter({ promptsDir })(notes);
    expect(r.via).toBe("template");
    expect(r.form).toBe("bulletin");
    expect(r.title).toBe(
      "国家邮政局召开抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结电视电话会议——马军胜强调，坚决落实“打一仗、进一步”要求，努力开创邮政行业安全和发展的新局面",
    );
    const ps = r.text.split("\n\n");
    expect(ps[0]).toBe(
      "9月29日，国家邮政局召开抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结电视电话会议，全面总结寄递渠道安全服务保障工作，梳理经验，凝聚共识，鼓舞干劲。国家邮政局局长马军胜出席会议并讲话。局领导王梅、赵晓光、邢小江出席会议。会议由刘君主持。",
    );
    expect(ps[1]).toMatch(/^马军胜指出，在纪念活动期间/);
    expect(ps.filter((p) => /^[一二三]要/.test(p)).map((p) => p.slice(0, 2))).toEqual(["一要", "二要", "三要"]);
    expect(ps.some((p) => p.startsWith("会议还听取了北京市邮政管理局"))).toBe(true);
    expect(ps.at(-1)).toBe("（本文来源：国家邮政局）");
    expect(r.warnings).toEqual([]);
    expect(checkFidelity(`${r.title}\n${r.text}`, notes)).toEqual([]);
  });

  it("flags only real omissions when the published 2015 bulletin is checked against its reconstruction notes", async () => {
    const { readdir } = await import("node:fs/promises");
    const name = (await readdir(join(root, "corpus"))).find((f) => f.startsWith("2015-09-30"))!;
    const published = await readFile(join(root, "corpus", name), "utf8");
    // the page chrome's publication date (發布時間:2015-09-30) is the one fact the notes do not hold
    expect(checkFidelity(published, await notes2015()).map((v) => `${v.kind}:${v.text}`)).toEqual(["date:2015-09-30"]);
  });

  it("reports missing fields in warnings and writes nothing in their place", async () => {
    const r = await createDrafter({ promptsDir })(
      "会议：农村寄递物流体系建设推进会\n主办：浙江省邮政管理局\n强调：\n1. 要补齐农村末端短板。\n2. 要服务乡村振兴。",
    );
    expect(r.warnings.join("\n")).toMatch(/时间/);
    expect(r.warnings.join("\n")).toMatch(/主持/);
    expect(r.warnings.join("\n")).toMatch(/讲话/);
    // no source in the notes: the bulletin is published by its organiser, and the warning says so
    expect(r.warnings.join("\n")).toMatch(/来源行按主办单位“浙江省邮政管理局”填写/);
    expect(r.text).not.toMatch(/\d+月\d+日|主持/);
    expect(r.text.split("\n\n").at(-1)).toBe("（本文来源：浙江省邮政管理局）");
    expect(r.text.split("\n\n")[0]).toBe("浙江省邮政管理局召开农村寄递物流体系建设推进会。");
    expect(r.text).toContain("一要补齐农村末端短板。\n\n二要服务乡村振兴。");
    expect(r.violations).toEqual([]);
  });

  it("reads the phrasing templates from promptsDir at run time (editing them changes the draft)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "draft-prompts-"));
    try {
      await cp(promptsDir, dir, { recursive: true });
      const file = join(dir, "draft-bulletin.md");
      const tpl = await readFile(file, "utf8");
      await writeFile(
        file,
        tpl
          .replace("{{speaker}}指出，{{remark}}", "{{speaker}}在讲话中谈到，{{remark}}")
          .replace(/## numbering\n要/, "## numbering\n是"),
      );
      const notes = "会议：座谈会\n主办：某局\n讲话：刘君\n指出：形势严峻。\n强调：\n1. 抓安全。\n2. 抓服务。";
      const edited = await createDrafter({ promptsDir: dir })(notes);
      expect(edited.text).toContain("刘君在讲话中谈到，形势严峻。");
      expect(edited.text).toContain("一是抓安全。\n\n二是抓服务。");
      const original = await createDrafter({ promptsDir })(notes);
      expect(original.text).toContain("刘君指出，形势严峻。");
      expect(original.text).toContain("一要抓安全。");
      await rm(file);
      await expect(createDrafter({ promptsDir: dir })(notes)).rejects.toThrow(/draft-bulletin\.md/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps the notes' own ordinal style (一是) consistently", async () => {
    const r = await createDrafter({ promptsDir })(
      "会议：座谈会\n主办：某局\n讲话：刘君\n强调：\n一是提高认识。\n二是采取措施。\n三是强化责任。",
    );
    expect(r.text.match(/^[一二三][要是]/gm)).toEqual(["一是", "二是", "三是"]);
  });

  it("drafts a work summary from achievements and next steps", async () => {
    const notes =
      "单位：南京市邮政管理局\n期间：2024年\n工作：寄递渠道安全监管工作\n成绩：\n- 开展寄递安全检查1260次\n- 查处违法违规案件85起\n下一步：\n1. 持续开展隐患排查整治\n2. 加强安全教育培训";
    const r = await createDrafter({ promptsDir })(notes);
    expect(r.form).toBe("summary");
    expect(r.title).toBe("南京市邮政管理局2024年寄递渠道安全监管工作总结");
    expect(r.text).toContain("一、主要工作和成效");
    expect(r.text).toContain("一是开展寄递安全检查1260次。\n\n二是查处违法违规案件85起。");
    expect(r.text).toContain("二、下一步工作安排");
    expect(r.text).toContain("一是持续开展隐患排查整治。");
    expect(r.violations).toEqual([]);
    // explicit --form wins over inference
    expect((await createDrafter({ promptsDir })(notes, { form: "bulletin" })).form).toBe("bulletin");
  });

  it("numbers the requirements in the style the speaker used inside the remarks", async () => {
    const r = await createDrafter({ promptsDir })(
      "会议：座谈会\n主办：某局\n讲话：刘君\n指出：今年工作有两个特点，一是进度快，二是质量高。\n强调：\n- 抓安全。\n- 抓服务。",
    );
    expect(r.text).toContain("一是抓安全。\n\n二是抓服务。");
    expect(r.warnings.filter((w) => w.includes("序号"))).toEqual([]);
  });

  it("does not number a list of one", async () => {
    const r = await createDrafter({ promptsDir })("会议：座谈会\n主办：某局\n讲话：刘君\n强调：\n- 抓安全。");
    expect(r.text).toContain("刘君强调，要着力做好以下几方面工作：\n\n抓安全。");
    expect(r.text).not.toMatch(/一要|一是/);
  });

  it("rejects empty notes with a clear error", async () => {
    await expect(createDrafter({ promptsDir })("  \n")).rejects.toThrow(/empty/);
  });
});

/** FakeListChatModel that records the prompts it was given. */
class RecordingModel extends FakeListChatModel {
  calls: BaseMessage[][] = [];
  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: Parameters<FakeListChatModel["_generate"]>[2],
  ) {
    this.calls.push(messages);
    return super._generate(messages, options, runManager);
  }
}

/** Never answers; gives up only when the call's signal aborts (as a real HTTP client does). */
class HangingModel extends FakeListChatModel {
  override async _generate(_m: BaseMessage[], options: this["ParsedCallOptions"]): Promise<never> {
    return new Promise((_, reject) => {
      const signal = options.signal;
      signal?.addEventListener("abort", () => reject(signal.reason ?? new Error("aborted")), { once: true });
    });
  }
}

class FailingModel extends FakeListChatModel {
  override async _generate(): Promise<never> {
    throw new Error("503 Service Unavailable");
  }
}

describe("LLM path", () => {
  let notes: string;
  /** A faithful and complete draft (every person, figure, date and unit of the notes): the template draft. */
  let clean: string;
  let invented: string;
  beforeAll(async () => {
    notes = await notes2015();
    const t = await createDrafter({ promptsDir })(notes);
    clean = `${t.title}\n\n${t.text}`;
    invented = clean.replace("会议由刘君主持。", "会议由刘君主持。副局长张伟出席会议。");
  });
  afterAll(() => undefined);
  const examples = async () => [
    { title: "刘君副局长督导检查亚欧博览会邮路安保工作", text: "8月25日，国家邮政局会同国家安全部召开座谈会。" },
  ];

  it("writes a traditional-character reply in simplified characters", async () => {
    const r = await createDrafter({
      promptsDir,
      chatModel: new FakeListChatModel({ responses: [clean.replace("国家邮政局召开", "國家郵政局召開")] }),
      findStyleExamples: examples,
    })(notes);
    expect(r.via).toBe("llm");
    expect(r.title).toMatch(/^国家邮政局召开/);
  });

  it("uses the model's draft with the style examples in the prompt", async () => {
    const model = new RecordingModel({ responses: [clean] });
    const r = await createDrafter({ promptsDir, chatModel: model, findStyleExamples: examples })(notes);
    expect(r.via).toBe("llm");
    expect(r.title).toMatch(/^国家邮政局召开抗战胜利70周年纪念活动寄递渠道安全服务保障工作总结电视电话会议/);
    expect(r.violations).toEqual([]);
    const prompt = model.calls[0]!.map((m) => String(m.content)).join("\n");
    expect(prompt).toContain("刘君副局长督导检查亚欧博览会邮路安保工作");
    expect(prompt).toContain("马军胜");
    expect(prompt).toContain("一要、二要、三要");
  });

  it("tells the model what the notes lack and reports it with the model's draft", async () => {
    const model = new RecordingModel({
      responses: ["浙江省邮政管理局召开推进会\n\n浙江省邮政管理局召开推进会。\n\n一要补齐农村末端短板。"],
    });
    const r = await createDrafter({ promptsDir, chatModel: model, findStyleExamples: examples })(
      "会议：推进会\n主办：浙江省邮政管理局\n要求：\n1. 要补齐农村末端短板。\n2. 要服务乡村振兴。",
    );
    expect(r.via).toBe("llm");
    expect(String(model.calls[0]!.at(-1)!.content)).toMatch(/笔记中没有这些内容.*会议时间.*主持人/);
    expect(r.warnings.join("\n")).toMatch(/未找到会议时间/);
  });

  it("writes from the extracted facts and names what must be kept", async () => {
    const model = new RecordingModel({ responses: [clean] });
    await createDrafter({ promptsDir, chatModel: model, findStyleExamples: examples })(notes);
    const prompt = String(model.calls[0]!.at(-1)!.content);
    expect(prompt).toMatch(/主办单位：国家邮政局/);
    expect(prompt).toMatch(/讲话人：国家邮政局局长马军胜/);
    expect(prompt).toMatch(/不得遗漏：.*2828/);
  });

  it("regenerates once when the draft leaves a fact out, and keeps the complete rewrite", async () => {
    const partial = clean.replace(/[^。\n]*2828万件[^。\n]*。/, "");
    expect(partial).not.toContain("2828");
    const model = new RecordingModel({ responses: [partial, clean] });
    const r = await createDrafter({ promptsDir, chatModel: model, findStyleExamples: examples })(notes);
    expect(model.calls).toHaveLength(2);
    expect(String(model.calls[1]!.at(-1)!.content)).toMatch(/漏写了笔记中的这些内容：[\s\S]*2828/);
    expect(r.via).toBe("llm");
    expect(r.text).toContain("2828万件");
    expect(r.warnings.join("\n")).toMatch(/初稿漏写了笔记中的.*2828.*已要求重写/);
  });

  it("falls back to the templates when the rewrite still leaves a fact out", async () => {
    const partial = clean.replace(/[^。\n]*2828万件[^。\n]*。/, "");
    const r = await createDrafter({
      promptsDir,
      chatModel: new FakeListChatModel({ responses: [partial, partial] }),
      findStyleExamples: examples,
    })(notes);
    expect(r.via).toBe("template");
    expect(r.text).toContain("2828万件");
    expect(r.warnings.join("\n")).toMatch(/仍漏写笔记中的.*2828.*改用模板/);
  });

  it("falls back when the reply is not a draft", async () => {
    const r = await createDrafter({
      promptsDir,
      chatModel: new FakeListChatModel({ responses: ["好的。"] }),
      findStyleExamples: examples,
    })(notes);
    expect(r.via).toBe("template");
    expect(r.warnings.join("\n")).toMatch(/不成文/);
  });

  it("regenerates once when the draft invents a person, and keeps the clean rewrite", async () => {
    const model = new RecordingModel({ responses: [invented, clean] });
    const r = await createDrafter({ promptsDir, chatModel: model, findStyleExamples: examples })(notes);
    expect(model.calls).toHaveLength(2);
    expect(String(model.calls[1]!.at(-1)!.content)).toContain("张伟");
    expect(r.via).toBe("llm");
    expect(r.text).not.toContain("张伟");
    expect(r.warnings.join("\n")).toMatch(/张伟.*重写/);
  });

  it("removes the offending sentence when the rewrite still invents the person", async () => {
    const model = new RecordingModel({ responses: [invented, invented] });
    const r = await createDrafter({ promptsDir, chatModel: model, findStyleExamples: examples })(notes);
    expect(r.via).toBe("llm");
    expect(r.text).not.toContain("张伟");
    expect(r.text).toContain("会议由刘君主持。");
    expect(checkFidelity(`${r.title}\n${r.text}`, notes)).toEqual([]);
    expect(r.warnings.join("\n")).toMatch(/删去/);
  });

  it("falls back to the templates when the headline itself is invented twice", async () => {
    const bad = clean.replace(/^国家邮政局召开/, "交通运输部召开");
    const r = await createDrafter({
      promptsDir,
      chatModel: new FakeListChatModel({ responses: [bad, bad] }),
      findStyleExamples: examples,
    })(notes);
    expect(r.via).toBe("template");
    expect(r.title).toMatch(/^国家邮政局召开/);
    expect(r.warnings.join("\n")).toMatch(/改用模板/);
  });

  it("falls back to the templates on a provider error, with a warning, never a crash", async () => {
    const r = await createDrafter({
      promptsDir,
      chatModel: new FailingModel({ responses: [] }),
      findStyleExamples: examples,
    })(notes);
    expect(r.via).toBe("template");
    expect(r.text).toMatch(/^9月29日，国家邮政局召开/);
    expect(r.warnings.join("\n")).toMatch(/语言模型调用失败.*503/);
  });

  it("falls back on a timeout", async () => {
    const slow = new HangingModel({ responses: [clean] });
    const r = await createDrafter({ promptsDir, chatModel: slow, findStyleExamples: examples, timeoutMs: 100 })(notes);
    expect(r.via).toBe("template");
    expect(r.warnings.join("\n")).toMatch(/语言模型调用失败/);
  });

  it("warns (and still drafts) when no style examples can be found", async () => {
    const r = await createDrafter({
      promptsDir,
      chatModel: new FakeListChatModel({ responses: [clean] }),
      findStyleExamples: async () => {
        throw new Error("No index in data");
      },
    })(notes);
    expect(r.via).toBe("llm");
    expect(r.warnings.join("\n")).toMatch(/未能检索参考通稿/);
  });
});
