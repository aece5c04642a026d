/**
 * `npm start` (src/main.ts) with DingTalk, Feishu and WeCom configured by environment against
 * their fakes on loopback, and the real assistant over 快递暂行条例: each platform's user asks a
 * question and gets the answer with its citation. A channel with wrong credentials is reported
 * and does not stop the others; SIGTERM stops them all.
 */
import { EventEmitter } from "node:events";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { main } from "../src/main.js";
import type { RunningChannels } from "../src/channels/channels.js";
import { DINGTALK_ROBOT_CODE, DINGTALK_SECRET, FakeDingTalk } from "./fakes/fake-dingtalk.js";
import { FakeFeishu, FEISHU_APP_ID, FEISHU_APP_SECRET } from "./fakes/fake-feishu.js";
import { FakeWeCom, WECOM_BOT_ID, WECOM_SECRET } from "./fakes/fake-wecom.js";
import { markdownVisible } from "./conformance/drivers.js";

const REGULATION = new URL("../../shared/corpus/regulations/快递暂行条例.md", import.meta.url);
const QUESTION = "快递企业停止经营快递业务的，应当提前多久告知？";

let work: string;
let env: Record<string, string>;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "channels-main-"));
  const corpus = join(work, "corpus");
  await mkdir(corpus, { recursive: true });
  await copyFile(REGULATION, join(corpus, "快递暂行条例.md"));
  env = { CORPUS_DIRS: corpus, INDEX_DIR: join(work, "index"), LOG_LEVEL: "warn" };
  const report = await createAssistant(loadConfig(env), { log: () => {} }).ingest();
  expect(report.chunks).toBeGreaterThan(10);
}, 120_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function io(extra: Record<string, string>) {
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
  return {
    env: { ...env, ...extra },
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
    signals: new EventEmitter(),
    err: () => err,
  };
}

describe("npm start with DingTalk, Feishu and WeCom configured", () => {
  it("answers a question with a citation on each platform, and stops on SIGTERM", async () => {
    const [dt, fs, wc] = await Promise.all([FakeDingTalk.start(), FakeFeishu.start(), FakeWeCom.start()]);
    try {
      const x = io({
        DINGTALK_CLIENT_ID: DINGTALK_ROBOT_CODE,
        DINGTALK_CLIENT_SECRET: DINGTALK_SECRET,
        DINGTALK_ALLOWED_USERS: "staff-1",
        DINGTALK_BASE_URL: dt.baseUrl,
        FEISHU_APP_ID,
        FEISHU_APP_SECRET,
        FEISHU_ALLOWED_USERS: "ou_user1",
        FEISHU_BASE_URL: fs.baseUrl,
        WECOM_BOT_ID,
        WECOM_SECRET,
        WECOM_ALLOWED_USERS: "zhangsan",
        WECOM_BASE_URL: wc.wsUrl,
      });
      let started!: (c: RunningChannels) => void;
      const up = new Promise<RunningChannels>((r) => (started = r));
      const running = main({ ...x, onStarted: started });
      const channels = await up;
      expect(channels.running.sort()).toEqual(["dingtalk", "feishu", "wecom"]);

      dt.push({ staffId: "staff-1", text: QUESTION });
      fs.push({ openId: "ou_user1", text: QUESTION });
      wc.push({ userId: "zhangsan", text: QUESTION });
      const answers = await Promise.all([
        dt.waitFor((m) => m.to === "user:staff-1", 1, 30_000),
        fs.waitFor((m) => m.to.startsWith("reply:"), 1, 30_000),
        wc.waitFor((m) => m.to === "zhangsan", 1, 30_000),
      ]);
      for (const [msg] of answers) {
        const seen = markdownVisible(msg!.text);
        expect(seen).toContain("提前");
        expect(seen).toMatch(/^1\. 《快递暂行条例》 第[一二三四五六七八九十百]+条/m);
      }
      // A reminder reaches a chat through the notifier, by its namespaced id.
      await channels.notifier.deliver("wecom:zhangsan", "督办提醒：安全检查情况今天到期。");
      await wc.waitFor((m) => m.via === "send_msg" && m.text.includes("督办提醒"));

      x.signals.emit("SIGTERM");
      expect(await running).toBe(0);
    } finally {
      await Promise.all([dt.close(), fs.close(), wc.close()]);
    }
  }, 90_000);

  it("reports a channel with wrong credentials and keeps the others running", async () => {
    const [dt, wc] = await Promise.all([FakeDingTalk.start(), FakeWeCom.start()]);
    try {
      const x = io({
        DINGTALK_CLIENT_ID: DINGTALK_ROBOT_CODE,
        DINGTALK_CLIENT_SECRET: "wrong-secret",
        DINGTALK_BASE_URL: dt.baseUrl,
        WECOM_BOT_ID,
        WECOM_SECRET,
        WECOM_ALLOWED_USERS: "zhangsan",
        WECOM_BASE_URL: wc.wsUrl,
      });
      let started!: (c: RunningChannels) => void;
      const up = new Promise<RunningChannels>((r) => (started = r));
      const running = main({ ...x, onStarted: started });
      const channels = await up;
      expect(channels.running).toEqual(["wecom"]);
      expect(channels.failed.map((f) => f.name)).toEqual(["dingtalk"]);
      expect(x.err()).toMatch(/dingtalk did not start: .*401/);
      wc.push({ userId: "zhangsan", text: QUESTION });
      const [msg] = await wc.waitFor((m) => m.to === "zhangsan", 1, 30_000);
      expect(markdownVisible(msg!.text)).toContain("《快递暂行条例》");
      x.signals.emit("SIGTERM");
      expect(await running).toBe(0);
      expect(x.err()).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      await Promise.all([dt.close(), wc.close()]);
    }
  }, 90_000);
});
