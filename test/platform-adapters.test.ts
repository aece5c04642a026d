/**
 * What each platform adapter does beyond the shared conformance scenarios, each against its
 * fake: Feishu acknowledges an event before the slow work and answers after; DingTalk
 * acknowledges each pushed message and answers through the OpenAPI once the session webhook has
 * expired; WeCom shows progress in a streaming message and decrypts files with their aeskey;
 * every channel delivers a reminder to a chat by its namespaced id; admins get the
 * add-to-corpus offer as a command.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createChatCore } from "../src/channels/chat-core/chat-core.js";
import { createDingTalkChannel } from "../src/channels/dingtalk/dingtalk.js";
import { createFeishuChannel } from "../src/channels/feishu/feishu.js";
import { createWeComChannel } from "../src/channels/wecom/wecom.js";
import { createFakeAssistant, defaultAnswer } from "./fakes/fake-assistant.js";
import { DINGTALK_ROBOT_CODE, DINGTALK_SECRET, FakeDingTalk } from "./fakes/fake-dingtalk.js";
import { FakeFeishu, FEISHU_APP_ID, FEISHU_APP_SECRET } from "./fakes/fake-feishu.js";
import { FakeWeCom, WECOM_BOT_ID, WECOM_SECRET } from "./fakes/fake-wecom.js";
import { markdownVisible } from "./conformance/drivers.js";
import type { Assistant } from "../src/assistant/assistant.js";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function corpus() {
  const dir = await mkdtemp(join(tmpdir(), "adapters-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const NOTICE = Buffer.from("关于报送安全检查情况的通知\n请于2024年11月30日前报送安全检查情况。\n", "utf8");

describe("Feishu", () => {
  async function feishu(assistant: Assistant) {
    const fake = await FakeFeishu.start();
    const dir = await corpus();
    const ch = createFeishuChannel({
      settings: {
        appId: FEISHU_APP_ID,
        appSecret: FEISHU_APP_SECRET,
        allowedUsers: ["ou_alice"],
        admins: ["u-ou_boss"],
        baseUrl: fake.baseUrl,
        rateLimitPerMinute: 100,
      },
      core: createChatCore({ assistant, corpusDir: join(dir, "corpus"), newId: () => "abc123" }),
    });
    await ch.start();
    cleanups.push(async () => {
      await ch.stop();
      await fake.close();
    });
    await fake.waitConnected();
    return { fake, ch, dir };
  }

  it("acknowledges the event at once (well within 3 s) and answers after the slow work, with progress shown", async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const { fake } = await feishu(
      createFakeAssistant({
        async ask(q) {
          await slow;
          return defaultAnswer(q);
        },
      }),
    );
    const id = fake.push({ openId: "ou_alice", text: "快递许可？" });
    const deadline = Date.now() + 3000;
    while (!fake.acks.some((a) => a.messageId === id) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const ack = fake.acks.find((a) => a.messageId === id);
    expect(ack?.code).toBe(200);
    expect(ack!.ms).toBeLessThan(3000);
    expect(fake.sent).toHaveLength(0); // acknowledged before answering
    release();
    const [answer] = await fake.waitFor((m) => m.to === `reply:${id}`);
    expect(markdownVisible(answer!.text)).toContain("1. 《快递暂行条例》 第十七条");
    expect(fake.reactions).toEqual(["OnIt"]);
  });

  it("reads a document through the message resource API and sends the calendar as a file; admins (listed by user_id) get the add-to-corpus command", async () => {
    const { fake, dir } = await feishu(createFakeAssistant());
    const id = fake.push({ openId: "ou_boss", file: { name: "通知.txt", content: NOTICE } });
    const [card] = await fake.waitFor((m) => m.to === `reply:${id}` && m.text !== "");
    const text = markdownVisible(card!.text);
    expect(text).toContain("2024-11-30 前：报送安全检查情况");
    expect(text).toContain("发送 /add abc123 加入语料库");
    await fake.waitFor((m) => m.to === `reply:${id}` && (m.files ?? []).length > 0);
    expect(fake.uploads).toEqual(["通知.ics"]);
    const add = fake.push({ openId: "ou_boss", text: "/add abc123" });
    const [done] = await fake.waitFor((m) => m.to === `reply:${add}`);
    expect(markdownVisible(done!.text)).toContain("已加入语料库：通知.txt");
    expect(await readdir(join(dir, "corpus"))).toEqual(["通知.txt"]);
  });

  it("delivers a reminder to a chat by its id", async () => {
    const { fake, ch } = await feishu(createFakeAssistant());
    await ch.deliver("feishu:oc_group0001", "督办提醒：<b>今天</b>到期");
    const [m] = await fake.waitFor((x) => x.to === "chat:oc_group0001");
    expect(markdownVisible(m!.text)).toBe("督办提醒：<b>今天</b>到期");
    await expect(ch.deliver("wecom:x", "…")).rejects.toThrow(/not a Feishu chat id/);
  });
});

describe("DingTalk", () => {
  async function dingtalk() {
    const fake = await FakeDingTalk.start();
    const dir = await corpus();
    const ch = createDingTalkChannel({
      settings: {
        clientId: DINGTALK_ROBOT_CODE,
        clientSecret: DINGTALK_SECRET,
        allowedUsers: ["staff-alice"],
        admins: [],
        baseUrl: fake.baseUrl,
        rateLimitPerMinute: 100,
      },
      core: createChatCore({ assistant: createFakeAssistant(), corpusDir: join(dir, "corpus") }),
    });
    await ch.start();
    cleanups.push(async () => {
      await ch.stop();
      await fake.close();
    });
    await fake.waitConnected();
    return { fake, ch };
  }

  it("acknowledges every pushed message and answers through its session webhook", async () => {
    const { fake } = await dingtalk();
    fake.push({ staffId: "staff-alice", text: "快递许可？" });
    const [m] = await fake.waitFor((x) => x.to === "user:staff-alice");
    expect(m!.via).toBe("sessionWebhook");
    expect(fake.acks).toEqual(["msg-1"]);
  });

  it("reaches users and groups through the robot OpenAPI for reminders (no session webhook needed)", async () => {
    const { fake, ch } = await dingtalk();
    await ch.deliver("dingtalk:user:staff-alice", "督办提醒：安全检查今天到期");
    await ch.deliver("dingtalk:group:cidGroup0001", "督办提醒：群内事项");
    const msgs = await fake.waitFor((x) => x.via === "openapi", 2);
    expect(msgs.map((x) => [x.to, markdownVisible(x.text)])).toEqual([
      ["user:staff-alice", "督办提醒：安全检查今天到期"],
      ["group:cidGroup0001", "督办提醒：群内事项"],
    ]);
    expect(fake.unauthorized).toBe(0);
  });

  it("fails start() with the reason when the credentials are wrong", async () => {
    const fake = await FakeDingTalk.start();
    cleanups.push(() => fake.close());
    const ch = createDingTalkChannel({
      settings: {
        clientId: DINGTALK_ROBOT_CODE,
        clientSecret: "nope",
        allowedUsers: [],
        admins: [],
        baseUrl: fake.baseUrl,
        rateLimitPerMinute: 10,
      },
      core: createChatCore({ assistant: createFakeAssistant(), corpusDir: await corpus() }),
    });
    await expect(ch.start()).rejects.toThrow(/401/);
    await ch.stop();
  });
});

describe("WeCom", () => {
  async function wecom(assistant = createFakeAssistant()) {
    const fake = await FakeWeCom.start();
    const ch = createWeComChannel({
      settings: {
        botId: WECOM_BOT_ID,
        secret: WECOM_SECRET,
        allowedUsers: ["alice"],
        admins: [],
        baseUrl: fake.wsUrl,
        rateLimitPerMinute: 100,
      },
      core: createChatCore({ assistant, corpusDir: await corpus() }),
    });
    await ch.start();
    cleanups.push(async () => {
      await ch.stop();
      await fake.close();
    });
    return { fake, ch };
  }

  it("opens a streaming message at once as progress, and finishes it with the answer", async () => {
    const { fake } = await wecom();
    fake.push({ userId: "alice", text: "快递许可？" });
    const [m] = await fake.waitFor((x) => x.to === "alice");
    expect(fake.progress).toEqual(["正在查找，请稍候…"]);
    expect(markdownVisible(m!.text)).toContain("1. 《快递暂行条例》 第十七条");
  });

  it("downloads a file from its encrypted URL, decrypts it with the message's aeskey, and reads its deadlines", async () => {
    const assistant = createFakeAssistant();
    const { fake } = await wecom(assistant);
    fake.push({ userId: "alice", file: { name: "安全检查通知.txt", content: NOTICE } });
    const [m] = await fake.waitFor((x) => x.to === "alice");
    expect(markdownVisible(m!.text)).toContain("2024-11-30 前：报送安全检查情况");
    expect(markdownVisible(m!.text)).toContain("《关于报送安全检查情况的通知》");
    expect(assistant.calls.extract[0]!.path).toMatch(/\.txt$/);
    // The calendar: uploaded over the connection as temporary media, sent as a file message.
    const [file] = await fake.waitFor((x) => x.to === "alice" && x.via === "file");
    expect(file!.files).toEqual(["安全检查通知.ics"]);
    expect([...fake.media.values()][0]!.content.toString("utf8")).toContain("DTSTART;VALUE=DATE:20241130");
  });

  it("refuses a file type the loaders do not read, named by the download", async () => {
    const { fake } = await wecom();
    fake.push({ userId: "alice", file: { name: "照片.jpg", content: Buffer.from([0xff, 0xd8, 0xff]) } });
    const [m] = await fake.waitFor((x) => x.to === "alice");
    expect(markdownVisible(m!.text)).toContain("暂不支持这种文件（.jpg）");
  });

  it("sends the answer as a new message when its callback can no longer be replied to (req_id expired)", async () => {
    const { fake } = await wecom();
    fake.failNextSends(1, 846605);
    fake.push({ userId: "alice", text: "快递许可？" });
    const [m] = await fake.waitFor((x) => x.to === "alice");
    expect(m!.via).toBe("send_msg");
    expect(markdownVisible(m!.text)).toContain("快递业务经营许可");
  });

  it("delivers a reminder with aibot_send_msg", async () => {
    const { fake, ch } = await wecom();
    await ch.deliver("wecom:wrGroup0001", "督办提醒");
    const [m] = await fake.waitFor((x) => x.via === "send_msg");
    expect(m!.to).toBe("wrGroup0001");
  });
});

describe("after the platform drops the connection", () => {
  it("each SDK reconnects and the bot answers again", async () => {
    const dir = await corpus();
    const core = () => createChatCore({ assistant: createFakeAssistant(), corpusDir: dir });
    const [dt, fs, wc] = await Promise.all([FakeDingTalk.start(), FakeFeishu.start(), FakeWeCom.start()]);
    const chans = [
      createDingTalkChannel({
        settings: {
          clientId: DINGTALK_ROBOT_CODE,
          clientSecret: DINGTALK_SECRET,
          allowedUsers: ["s1"],
          admins: [],
          baseUrl: dt.baseUrl,
          rateLimitPerMinute: 100,
        },
        core: core(),
      }),
      createFeishuChannel({
        settings: {
          appId: FEISHU_APP_ID,
          appSecret: FEISHU_APP_SECRET,
          allowedUsers: ["ou_1"],
          admins: [],
          baseUrl: fs.baseUrl,
          rateLimitPerMinute: 100,
        },
        core: core(),
      }),
      createWeComChannel({
        settings: {
          botId: WECOM_BOT_ID,
          secret: WECOM_SECRET,
          allowedUsers: ["u1"],
          admins: [],
          baseUrl: wc.wsUrl,
          rateLimitPerMinute: 100,
        },
        core: core(),
      }),
    ];
    cleanups.push(async () => {
      for (const c of chans) await c.stop();
      await Promise.all([dt.close(), fs.close(), wc.close()]);
    });
    for (const c of chans) await c.start();
    await Promise.all([dt.waitConnected(), fs.waitConnected(), wc.waitConnected()]);
    for (const f of [dt, fs, wc]) f.dropConnections();
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all([dt.waitConnected(15_000), fs.waitConnected(15_000), wc.waitConnected(15_000)]);
    dt.push({ staffId: "s1", text: "快递许可？" });
    const fid = fs.push({ openId: "ou_1", text: "快递许可？" });
    wc.push({ userId: "u1", text: "快递许可？" });
    await Promise.all([
      dt.waitFor((m) => m.to === "user:s1"),
      fs.waitFor((m) => m.to === `reply:${fid}`),
      wc.waitFor((m) => m.to === "u1"),
    ]);
  }, 60_000);
});
