/**
 * Conformance drivers: each runs the real channel against a fake of its platform on loopback
 * (the terminal against in-memory streams). alice is an allowed user, boss an admin, mallory a
 * stranger.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type { Assistant } from "../../src/assistant/assistant.js";
import { createChatCore } from "../../src/channels/chat-core/chat-core.js";
import type { PlatformChannel } from "../../src/channels/chat-core/gateway.js";
import { createDingTalkChannel, DINGTALK_MARKDOWN_CHARS } from "../../src/channels/dingtalk/dingtalk.js";
import { createFeishuChannel, FEISHU_CARD_MARKDOWN_BYTES } from "../../src/channels/feishu/feishu.js";
import { createTelegramBot, type TelegramBot } from "../../src/channels/telegram/bot.js";
import { htmlToText, TELEGRAM_MESSAGE_LIMIT } from "../../src/channels/telegram/format.js";
import { runTerminalChat } from "../../src/channels/terminal/terminal-chat.js";
import { createWeComChannel, WECOM_STREAM_BYTES } from "../../src/channels/wecom/wecom.js";
import { FakeBotApi, type ApiCall } from "../fakes/fake-bot-api.js";
import { DINGTALK_ROBOT_CODE, DINGTALK_SECRET, FakeDingTalk } from "../fakes/fake-dingtalk.js";
import { FakeFeishu, FEISHU_APP_ID, FEISHU_APP_SECRET } from "../fakes/fake-feishu.js";
import { FakeWeCom, WECOM_BOT_ID, WECOM_SECRET } from "../fakes/fake-wecom.js";
import type { FakePlatformBase } from "../fakes/fake-platform.js";
import type { ChannelDriver, Received, UserName } from "./driver.js";

const FAST_RETRY = { baseMs: 20, maxMs: 200 };

/** Markdown as a user sees it: escapes undone, entities decoded. */
export function markdownVisible(raw: string): string {
  return raw
    .replace(/\\([\\`*_[\]~|#+\-.)])/g, "$1")
    .replace(/ {2}\n/g, "\n")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Markdown constructs a raw message would render (after removing escaped characters). */
export function markdownActive(raw: string): string[] {
  const bare = raw.replace(/\\./g, "").replace(/&(?:lt|gt|amp);/g, "");
  const found: string[] = [];
  const patterns: [string, RegExp][] = [
    ["html tag", /<\/?[a-z][^>]*>/i],
    ["link", /\[[^\]\n]*\]\([^)\n]*\)/],
    ["code", /`[^`\n]+`/],
    ["strike", /~[^~\n]+~/],
  ];
  for (const [name, re] of patterns) if (re.test(bare)) found.push(name);
  // Bold from the answer text: the renderer's own **headings** are allowed, the answer's 星号 is not.
  if (/\*\*星号\*\*/.test(bare) || /(^|[^\w])_斜_/.test(bare)) found.push("emphasis from the text");
  return found;
}

const markdownDriverBase = {
  visible: markdownVisible,
  activeMarkup: markdownActive,
};

async function tmpCorpus() {
  const dir = await mkdtemp(join(tmpdir(), "conformance-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

// -------------------------------------------------------------------------------------------------
// Terminal

export function terminalDriver(): ChannelDriver {
  let input: PassThrough;
  let done: Promise<number>;
  const outputs: string[] = [];
  let cleanup: (() => Promise<void>) | undefined;
  let dir = "";
  const listeners: (() => void)[] = [];
  const logs: string[] = [];
  return {
    name: "terminal",
    can: { strangers: false, sendFailures: false, groupRule: false, calendarFile: true, limit: false },
    fits: () => true,
    visible: (raw) => raw,
    activeMarkup: () => [],
    async start(assistant: Assistant) {
      const t = await tmpCorpus();
      dir = t.dir;
      cleanup = t.cleanup;
      input = new PassThrough();
      const output = new PassThrough();
      output.on("data", (c: Buffer) => {
        outputs.push(c.toString("utf8"));
        for (const l of listeners.splice(0)) l();
      });
      done = runTerminalChat({
        assistant,
        input,
        output,
        corpusDir: join(dir, "corpus"),
        interactive: false,
        outDir: join(dir, "out"),
        cwd: dir,
        log: (l) => logs.push(l),
      });
    },
    async say(_user, text) {
      input.write(`${text}\n`);
    },
    async sendDocument(_user, filename, content) {
      await writeFile(join(dir, filename), content);
      input.write(`/extract ${filename}\n`);
    },
    async received(_user, n, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
      for (;;) {
        // One reply is one write ending in a blank line; a saved file is announced in the same write.
        const msgs: Received[] = outputs.map((raw) => ({
          raw: raw.trimEnd(),
          files: [...raw.matchAll(/已保存：(\S+\.ics)/g)].map((m) => m[1]!),
        }));
        if (msgs.length >= n) return msgs;
        if (Date.now() > deadline)
          throw new Error(`terminal: ${msgs.length} of ${n} replies: ${JSON.stringify(outputs)}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, 200);
          listeners.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
    failNextSends() {},
    attempts: () => outputs.length,
    logs: () => logs,
    async stop() {
      input.end();
      await done;
      await cleanup?.();
    },
  };
}

// -------------------------------------------------------------------------------------------------
// Telegram

const TG_USERS: Record<UserName, { id: number; username: string }> = {
  alice: { id: 100, username: "alice" },
  boss: { id: 1, username: "boss" },
  mallory: { id: 666, username: "mallory" },
};
const TG_GROUP = { id: -1001, type: "supergroup" as const, title: "办公室" };

export function telegramDriver(): ChannelDriver {
  let api: FakeBotApi;
  let tb: TelegramBot;
  let cleanup: (() => Promise<void>) | undefined;
  const logs: string[] = [];
  const chatOf = (user: UserName, group?: boolean) => (group ? TG_GROUP.id : TG_USERS[user].id);
  const toReceived = (c: ApiCall): Received =>
    c.method === "sendDocument"
      ? { raw: String(c.payload.caption ?? ""), files: Object.values(c.files).map((f) => f.filename) }
      : { raw: String(c.payload.text), files: [] };
  return {
    name: "telegram",
    can: { strangers: true, sendFailures: true, groupRule: true, calendarFile: true, limit: true },
    fits: (raw) => raw.length <= TELEGRAM_MESSAGE_LIMIT,
    visible: htmlToText,
    activeMarkup: (raw) => (/<b>粗体|<a\s/i.test(raw) ? ["html from the text"] : []),
    async start(assistant) {
      const t = await tmpCorpus();
      api = await FakeBotApi.start();
      tb = createTelegramBot({
        token: api.token,
        settings: {
          token: api.token,
          apiRoot: api.apiRoot,
          webhookPort: 8443,
          allowedUsers: ["100"],
          allowedChats: [String(TG_GROUP.id)],
          admins: ["1"],
          rateLimitPerMinute: 100,
        },
        assistant,
        corpusDir: t.dir,
        log: (l) => logs.push(l),
        retry: FAST_RETRY,
      });
      await tb.start();
      cleanup = async () => {
        await tb.stop();
        await api.close();
        await t.cleanup();
      };
    },
    async say(user, text, opts = {}) {
      const mention = opts.mention ?? true;
      api.sendText(
        opts.group && mention ? `@postal_test_bot ${text}` : text,
        TG_USERS[user],
        opts.group ? TG_GROUP : undefined,
      );
    },
    async sendDocument(user, filename, content) {
      api.sendDocument(api.addFile(filename, content), TG_USERS[user]);
    },
    async received(user, n, opts = {}) {
      const chat = chatOf(user, opts.group);
      const calls = await api.waitForCalls(
        (c) =>
          !c.failed &&
          (c.method === "sendMessage" || c.method === "sendDocument") &&
          Number(c.payload.chat_id) === chat,
        n,
        opts.timeoutMs,
      );
      return calls.map(toReceived);
    },
    failNextSends(n) {
      api.failNext("sendMessage", 429, "Too Many Requests: retry after 1", n, { retryAfter: 0 });
    },
    attempts: () => api.callsOf("sendMessage").length,
    logs: () => logs,
    stop: async () => cleanup?.(),
  };
}

// -------------------------------------------------------------------------------------------------
// The three long-connection platforms share how messages are read back from their fakes.

function receivedFrom(fake: FakePlatformBase, match: (to: string) => boolean) {
  return async (n: number, timeoutMs?: number): Promise<Received[]> => {
    const msgs = await fake.waitFor((m) => match(m.to), n, timeoutMs);
    return msgs.map((m) => ({ raw: m.text, files: m.files ?? [] }));
  };
}

const withLimits = (chatCore: typeof createChatCore, assistant: Assistant, dir: string) =>
  chatCore({ assistant, corpusDir: dir, newId: () => "abc123" });

// -------------------------------------------------------------------------------------------------
// DingTalk

const DT_USERS: Record<UserName, string> = { alice: "staff-alice", boss: "staff-boss", mallory: "staff-mallory" };

export function dingtalkDriver(): ChannelDriver {
  let fake: FakeDingTalk;
  let channel: PlatformChannel;
  let cleanup: (() => Promise<void>) | undefined;
  const logs: string[] = [];
  return {
    name: "dingtalk",
    ...markdownDriverBase,
    can: { strangers: true, sendFailures: true, groupRule: true, calendarFile: false, limit: true },
    fits: (raw) => raw.length <= DINGTALK_MARKDOWN_CHARS,
    async start(assistant) {
      const t = await tmpCorpus();
      fake = await FakeDingTalk.start();
      channel = createDingTalkChannel({
        settings: {
          clientId: DINGTALK_ROBOT_CODE,
          clientSecret: DINGTALK_SECRET,
          allowedUsers: [DT_USERS.alice],
          admins: [DT_USERS.boss],
          baseUrl: fake.baseUrl,
          rateLimitPerMinute: 100,
        },
        core: withLimits(createChatCore, assistant, t.dir),
        retry: FAST_RETRY,
        log: (l) => logs.push(l),
      });
      await channel.start();
      await fake.waitConnected();
      cleanup = async () => {
        await channel.stop();
        await fake.close();
        await t.cleanup();
      };
    },
    async say(user, text, opts = {}) {
      fake.push({ staffId: DT_USERS[user], text, group: opts.group ?? false, mention: opts.mention ?? true });
    },
    async sendDocument(user, filename, content) {
      fake.push({ staffId: DT_USERS[user], file: { name: filename, content } });
    },
    received: (user, n, opts = {}) =>
      receivedFrom(fake, (to) => to === (opts.group ? "group:cidGroup0001" : `user:${DT_USERS[user]}`))(
        n,
        opts.timeoutMs,
      ),
    failNextSends: (n) => fake.failNextSends(n, 429, 0),
    attempts: () => fake.attempts,
    logs: () => logs,
    stop: async () => cleanup?.(),
  };
}

// -------------------------------------------------------------------------------------------------
// Feishu

const FS_USERS: Record<UserName, string> = { alice: "ou_alice", boss: "ou_boss", mallory: "ou_mallory" };

export function feishuDriver(): ChannelDriver {
  let fake: FakeFeishu;
  let channel: PlatformChannel;
  let cleanup: (() => Promise<void>) | undefined;
  const logs: string[] = [];
  /** Message ids each user (or the group) sent: replies are recorded under "reply:<id>". */
  const sentBy = new Map<string, Set<string>>();
  const key = (user: UserName, group?: boolean) => (group ? "group" : user);
  const remember = (k: string, id: string) => {
    const s = sentBy.get(k) ?? new Set<string>();
    s.add(id);
    sentBy.set(k, s);
  };
  return {
    name: "feishu",
    ...markdownDriverBase,
    can: { strangers: true, sendFailures: true, groupRule: true, calendarFile: true, limit: true },
    fits: (raw) => Buffer.byteLength(raw, "utf8") <= FEISHU_CARD_MARKDOWN_BYTES,
    async start(assistant) {
      const t = await tmpCorpus();
      fake = await FakeFeishu.start();
      channel = createFeishuChannel({
        settings: {
          appId: FEISHU_APP_ID,
          appSecret: FEISHU_APP_SECRET,
          allowedUsers: [FS_USERS.alice],
          admins: [FS_USERS.boss],
          baseUrl: fake.baseUrl,
          rateLimitPerMinute: 100,
        },
        core: withLimits(createChatCore, assistant, t.dir),
        retry: FAST_RETRY,
        log: (l) => logs.push(l),
      });
      await channel.start();
      await fake.waitConnected();
      cleanup = async () => {
        await channel.stop();
        await fake.close();
        await t.cleanup();
      };
    },
    async say(user, text, opts = {}) {
      remember(
        key(user, opts.group),
        fake.push({ openId: FS_USERS[user], text, group: opts.group ?? false, mention: opts.mention ?? true }),
      );
    },
    async sendDocument(user, filename, content) {
      remember(key(user), fake.push({ openId: FS_USERS[user], file: { name: filename, content } }));
    },
    received: (user, n, opts = {}) =>
      receivedFrom(
        fake,
        (to) => to.startsWith("reply:") && (sentBy.get(key(user, opts.group))?.has(to.slice("reply:".length)) ?? false),
      )(n, opts.timeoutMs),
    failNextSends: (n) => fake.failNextSends(n, 429),
    attempts: () => fake.attempts,
    logs: () => logs,
    stop: async () => cleanup?.(),
  };
}

// -------------------------------------------------------------------------------------------------
// WeCom

const WC_USERS: Record<UserName, string> = { alice: "alice", boss: "boss", mallory: "mallory" };

export function wecomDriver(): ChannelDriver {
  let fake: FakeWeCom;
  let channel: PlatformChannel;
  let cleanup: (() => Promise<void>) | undefined;
  const logs: string[] = [];
  return {
    name: "wecom",
    ...markdownDriverBase,
    // WeCom hands a smart bot only the group messages that @mention it: nothing to filter.
    can: { strangers: true, sendFailures: true, groupRule: false, calendarFile: true, limit: true },
    fits: (raw) => Buffer.byteLength(raw, "utf8") <= WECOM_STREAM_BYTES,
    async start(assistant) {
      const t = await tmpCorpus();
      fake = await FakeWeCom.start();
      channel = createWeComChannel({
        settings: {
          botId: WECOM_BOT_ID,
          secret: WECOM_SECRET,
          allowedUsers: [WC_USERS.alice],
          admins: [WC_USERS.boss],
          baseUrl: fake.wsUrl,
          rateLimitPerMinute: 100,
        },
        core: withLimits(createChatCore, assistant, t.dir),
        retry: FAST_RETRY,
        log: (l) => logs.push(l),
      });
      await channel.start();
      cleanup = async () => {
        await channel.stop();
        await fake.close();
        await t.cleanup();
      };
    },
    async say(user, text, opts = {}) {
      fake.push({ userId: WC_USERS[user], text, group: opts.group ?? false });
    },
    async sendDocument(user, filename, content) {
      fake.push({ userId: WC_USERS[user], file: { name: filename, content } });
    },
    received: (user, n, opts = {}) =>
      receivedFrom(fake, (to) => to === (opts.group ? "wrGroup0001" : WC_USERS[user]))(n, opts.timeoutMs),
    failNextSends: (n) => fake.failNextSends(n, 429),
    attempts: () => fake.attempts,
    logs: () => logs,
    stop: async () => cleanup?.(),
  };
}
