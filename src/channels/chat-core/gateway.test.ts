import { describe, expect, it } from "vitest";
import { createChatCore } from "./chat-core.js";
import { createChatGateway, parseCommand, STRANGER_REFUSAL, type InboundMessage } from "./gateway.js";
import { renderPlain, type Reply } from "./reply.js";
import { createFakeAssistant } from "../../../test/fakes/fake-assistant.js";

function setup(perMinute = 100, now = () => 0) {
  const assistant = createFakeAssistant();
  const gateway = createChatGateway({
    channel: "test",
    core: createChatCore({ assistant, corpusDir: "/nonexistent" }),
    access: { allowedUsers: ["u1"], allowedChats: [], admins: ["a1"] },
    rateLimitPerMinute: perMinute,
    allowListSetting: "TEST_ALLOWED_USERS",
    now,
  });
  const sent: string[] = [];
  const out = { send: async (r: Reply) => void sent.push(renderPlain(r)) };
  const msg = (m: Partial<InboundMessage>): InboundMessage => ({
    chatId: "test:c1",
    userId: "u1",
    isGroup: false,
    addressed: true,
    text: "问题",
    ...m,
  });
  return { assistant, gateway, sent, out, msg };
}

describe("parseCommand", () => {
  it("reads /cmd (also a full-width slash) and treats anything else as a question", () => {
    expect(parseCommand("/search 快递 kind:法规")).toEqual({ command: "search", args: "快递 kind:法规" });
    expect(parseCommand("／Help")).toEqual({ command: "help", args: "" });
    expect(parseCommand(" 快递/物流 ")).toEqual({ command: null, args: "快递/物流" });
  });
});

describe("chat gateway", () => {
  it("ignores group messages that do not address the bot and empty messages", async () => {
    const { gateway, sent, out, msg, assistant } = setup();
    gateway.receive(msg({ isGroup: true, addressed: false }), out);
    gateway.receive(msg({ text: "  " }), out);
    await gateway.idle();
    expect(sent).toEqual([]);
    expect(assistant.calls.ask).toHaveLength(0);
  });

  it("tells one-to-one chats what it reads when sent a picture, and says nothing in groups", async () => {
    const { gateway, sent, out, msg } = setup();
    gateway.receive(msg({ text: "", nonText: true }), out);
    gateway.receive(msg({ text: "", nonText: true, isGroup: true }), out);
    await gateway.idle();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("PDF");
  });

  it("refuses unsupported and oversized files before downloading them", async () => {
    const { gateway, sent, out, msg } = setup();
    let downloads = 0;
    const download = async () => void downloads++;
    gateway.receive(msg({ file: { filename: "旧.doc", download } }), out);
    gateway.receive(msg({ file: { filename: "大.pdf", size: 50 * 1024 * 1024, download } }), out);
    await gateway.idle();
    expect(downloads).toBe(0);
    expect(sent[0]).toContain("旧版 .doc 请另存为 .docx");
    expect(sent[1]).toContain("文件太大（50.0 MB）");
  });

  it("rate-limits per user and says so once; strangers hear one refusal", async () => {
    const { gateway, sent, out, msg } = setup(2);
    for (let i = 0; i < 4; i++) gateway.receive(msg({}), out);
    gateway.receive(msg({ userId: "x9", chatId: "test:c9" }), out);
    gateway.receive(msg({ userId: "x9", chatId: "test:c9" }), out);
    await gateway.idle();
    expect(sent.filter((s) => s.includes("请求太频繁"))).toHaveLength(1);
    expect(sent.filter((s) => s.includes("快递业务经营许可"))).toHaveLength(2);
    expect(sent.filter((s) => s === STRANGER_REFUSAL)).toHaveLength(1);
  });

  it("keeps one chat's replies in order while another chat's work runs alongside", async () => {
    const { gateway, out, msg } = setup();
    const order: string[] = [];
    const mk = (tag: string) => ({ send: async (r: Reply) => void order.push(`${tag}:${renderPlain(r).slice(0, 6)}`) });
    gateway.receive(msg({ text: "一" }), mk("c1"));
    gateway.receive(msg({ text: "/whoami" }), mk("c1"));
    gateway.receive(msg({ chatId: "test:c2", text: "/help" }), mk("c2"));
    await gateway.idle();
    expect(order.filter((o) => o.startsWith("c1"))).toEqual(["c1:根据《快递暂", "c1:• 用户 I"]);
    void out;
  });
});
