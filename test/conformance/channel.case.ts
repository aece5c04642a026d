/**
 * The channel conformance suite: one set of scenarios run over every channel (as hono's
 * common.case.test.ts runs one suite over every router). Each channel's *.conformance.test.ts
 * calls runChannelConformance with a driver that runs the real channel against a fake of its
 * platform on loopback.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createFakeAssistant, defaultAnswer, type FakeAssistant } from "../fakes/fake-assistant.js";
import type { Assistant } from "../../src/assistant/assistant.js";
import type { ChannelDriver } from "./driver.js";

/** Answer text with markup of every kind the platforms render. */
export const MARKUP = "见 <b>粗体</b> **星号** [链接](http://evil.example/x) `代码` _斜_ ~删~ | 表 & 符";

const NOTICE = "关于开展寄递安全检查的通知\n各省局：\n请于2024年11月30日前报送安全检查情况。\n";

export function runChannelConformance(makeDriver: () => ChannelDriver): void {
  describe(`channel conformance`, () => {
    let driver: ChannelDriver | undefined;
    afterEach(async () => {
      await driver?.stop();
      driver = undefined;
    });

    const start = async (
      overrides: Partial<Assistant> = {},
    ): Promise<{ d: ChannelDriver; assistant: FakeAssistant }> => {
      const assistant = createFakeAssistant(overrides);
      driver = makeDriver();
      await driver.start(assistant);
      return { d: driver, assistant };
    };

    it("answers a question with its citations as a numbered list", async () => {
      const { d, assistant } = await start();
      await d.say("alice", "经营快递业务需要什么许可？");
      const [msg] = await d.received("alice", 1);
      const seen = d.visible(msg!.raw);
      expect(seen).toContain("依法取得快递业务经营许可[1]");
      expect(seen).toMatch(/(?:\[1\]|^\s*1\.)\s*《快递暂行条例》\s*第十七条/m);
      expect(assistant.calls.ask.map((c) => c.question)).toEqual(["经营快递业务需要什么许可？"]);
    });

    it("refuses a stranger once, politely, with nothing from the corpus", async (ctx) => {
      if (!makeDriver().can.strangers) return ctx.skip();
      const { d, assistant } = await start();
      await d.say("mallory", "快递暂行条例第十七条是什么？");
      await d.say("mallory", "再问一次");
      await d.say("mallory", "/whoami");
      const msgs = await d.received("mallory", 2);
      expect(d.visible(msgs[0]!.raw)).toContain("没有使用本助手的权限");
      expect(d.visible(msgs[1]!.raw)).toContain("未授权");
      expect(msgs.map((m) => d.visible(m.raw)).join("\n")).not.toMatch(/快递业务经营许可|第十七条/);
      expect(assistant.calls.ask).toHaveLength(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(await d.received("mallory", 2)).toHaveLength(2); // refused once, not per message
      expect(d.logs().some((l) => /refused user \S*mallory|refused user 666/.test(l))).toBe(true);
    });

    it("reads a sent document's deadlines (and sends the calendar where the platform takes files)", async () => {
      const { d, assistant } = await start();
      await d.sendDocument("alice", "安全检查通知.txt", Buffer.from(NOTICE, "utf8"));
      const msgs = await d.received("alice", 1);
      const text = msgs.map((m) => d.visible(m.raw)).join("\n");
      expect(text).toContain("截止时间");
      expect(text).toContain("2024-11-30 前：报送安全检查情况");
      expect(assistant.calls.extract).toHaveLength(1);
      expect(assistant.calls.extract[0]!.path).toMatch(/\.txt$/);
      if (d.can.calendarFile) {
        const all = msgs.some((m) => m.files.length) ? msgs : await d.received("alice", 2);
        expect(all.flatMap((m) => m.files).some((f) => /\.ics$|^file_v2_/.test(f))).toBe(true);
      }
    });

    it("splits a long answer into messages under the platform's limit, in order, losing nothing", async (ctx) => {
      if (!makeDriver().can.limit) return ctx.skip();
      const sentences = Array.from(
        { length: 400 },
        (_, i) => `第${i + 1}句：快递企业应当建立健全安全生产责任制度并落实到岗位。`,
      );
      const { d } = await start({
        async ask(question) {
          return { ...defaultAnswer(question), answer: sentences.join("") };
        },
      });
      await d.say("alice", "很长的问题");
      // Enough messages for the whole answer: wait until the citation list (the end) arrived.
      let msgs = await d.received("alice", 2);
      for (let i = 0; i < 50 && !msgs.some((m) => d.visible(m.raw).includes("《快递暂行条例》")); i++)
        msgs = await d.received("alice", msgs.length + 1);
      expect(msgs.length).toBeGreaterThan(1);
      for (const m of msgs) expect(d.fits(m.raw), `${m.raw.length} chars`).toBe(true);
      // Cut at sentence ends, not inside a sentence.
      for (const m of msgs.slice(0, -1)) expect(d.visible(m.raw).trimEnd()).toMatch(/[。！？]$/);
      const all = msgs.map((m) => d.visible(m.raw)).join("");
      let at = -1;
      for (const s of sentences) {
        const i = all.indexOf(s);
        expect(i, s).toBeGreaterThan(at);
        at = i;
      }
    });

    it("shows markup from documents and answers as written, never as formatting or links", async () => {
      const { d } = await start({
        async ask(question) {
          return { ...defaultAnswer(question), answer: `${MARKUP}\u001b[2J` };
        },
      });
      await d.say("alice", "问题");
      const [msg] = await d.received("alice", 1);
      expect(d.activeMarkup(msg!.raw)).toEqual([]);
      expect(msg!.raw).not.toContain("\u001b");
      expect(d.visible(msg!.raw)).toContain(MARKUP);
    });

    it("answers a failing handler with an apology, then keeps serving", async () => {
      let fail = true;
      const { d } = await start({
        async ask(question) {
          if (fail) {
            fail = false;
            throw new TypeError("cannot read properties of undefined (reading 'secretInternalField')");
          }
          return defaultAnswer(question);
        },
      });
      await d.say("alice", "第一个问题");
      const [apology] = await d.received("alice", 1);
      expect(d.visible(apology!.raw)).toContain("抱歉，处理您的请求时出错了");
      expect(apology!.raw).not.toContain("secretInternalField");
      expect(d.logs().join("\n")).toContain("secretInternalField"); // the operator sees the error in full
      await d.say("alice", "第二个问题");
      const msgs = await d.received("alice", 2);
      expect(d.visible(msgs[1]!.raw)).toContain("快递业务经营许可");
    });

    it("retries a failed send: the answer survives two failures", async (ctx) => {
      if (!makeDriver().can.sendFailures) return ctx.skip();
      const { d } = await start();
      d.failNextSends(2);
      const before = d.attempts();
      await d.say("alice", "经营快递业务需要什么许可？");
      const [msg] = await d.received("alice", 1, { timeoutMs: 20_000 });
      expect(d.visible(msg!.raw)).toContain("快递业务经营许可");
      expect(d.attempts() - before).toBeGreaterThanOrEqual(3);
    });

    it("in a group answers only when @mentioned", async (ctx) => {
      if (!makeDriver().can.groupRule) return ctx.skip();
      const { d, assistant } = await start();
      await d.say("alice", "大家下午好，三点开会", { group: true, mention: false });
      await d.say("alice", "快递许可怎么办理？", { group: true, mention: true });
      const msgs = await d.received("alice", 1, { group: true });
      expect(msgs).toHaveLength(1);
      expect(d.visible(msgs[0]!.raw)).toContain("快递业务经营许可");
      expect(assistant.calls.ask.map((c) => c.question)).toEqual(["快递许可怎么办理？"]);
    });
  });
}
