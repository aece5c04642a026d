/**
 * End-to-end: the web workspace in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core), against the real assistant over the real corpus. A screenshot of each page is
 * written to test-artifacts/web/ (not committed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { createAssistant, openTasks } from "../src/app.js";
import type { TaskComponents } from "../src/assistant/tasks/task-service.js";
import { webTasks } from "../src/channels/web/launch.js";
import { loadConfig } from "../src/config/config.js";
import { createMemoryAccountStore, hashPassword } from "../src/store/accounts.js";
import { startWebServer, type StartedWebServer } from "../src/channels/web/server.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = "test-artifacts/web";
// In CI the browser must be there (.ci/run installs it); elsewhere the suite says why it is skipped.
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI)
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium for the end-to-end tests`);

describe.skipIf(!haveBrowser)("web workspace in Chromium", () => {
  let dir: string;
  let server: StartedWebServer;
  let browser: Browser;
  let page: Page;
  let components: TaskComponents;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "web-e2e-"));
    const corpus = join(dir, "corpus");
    await mkdir(corpus);
    await cp("corpus", join(corpus, "bulletins"), { recursive: true });
    await cp("../shared/corpus/regulations/快递暂行条例.md", join(corpus, "快递暂行条例.md"));
    const config = loadConfig({
      CORPUS_DIRS: corpus,
      INDEX_DIR: join(dir, "index"),
      STORE_PATH: join(dir, "store", "assistant.db"),
    });
    components = await openTasks(config);
    const assistant = createAssistant(config, { log: () => {} });
    await assistant.ingest();
    const accounts = createMemoryAccountStore();
    await accounts.addAccount({
      name: "admin",
      role: "admin",
      passwordHash: await hashPassword("correct horse"),
      createdAt: new Date().toISOString(),
    });
    server = await startWebServer({
      assistant,
      accounts,
      corpusDirs: config.corpusDirs,
      tasks: webTasks(components.tasks),
      port: 0,
    });
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    });
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "zh-CN" })).newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await components?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it("redirects to sign-in, and refuses a wrong password", async () => {
    await page.goto(`${server.url}/#/ask`);
    await page.waitForURL(/\/login/);
    await page.getByTestId("username").fill("admin");
    await page.getByTestId("password").fill("wrong password");
    await page.getByTestId("sign-in").click();
    await expect.poll(() => page.locator("#login-error").textContent()).toContain("错误");
    await shot("login");
  });

  it("signs in, asks, opens the citation and sees the article highlighted", async () => {
    await page.getByTestId("password").fill("correct horse");
    await page.getByTestId("sign-in").click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.getByTestId("question").fill("快递末端网点开办以后多少天内要备案？");
    await page.getByTestId("ask").click();
    const answer = page.getByTestId("answer").last();
    await answer.waitFor();
    const citation = page.getByTestId("citation").filter({ hasText: "第十八条" }).first();
    await expect.poll(() => citation.textContent()).toContain("快递暂行条例");
    await citation.click();
    const panel = page.getByTestId("source-panel");
    await panel.waitFor({ state: "visible" });
    const highlight = panel.locator("mark");
    await highlight.waitFor();
    expect(await highlight.textContent()).toContain("20日内");
    expect(await panel.locator("#source-title").textContent()).toContain("快递暂行条例");
    // scrolled to the passage: the mark is inside the panel's visible area
    const inView = await highlight.evaluate((m) => {
      const p = m.closest("aside")!.getBoundingClientRect();
      const r = m.getBoundingClientRect();
      return r.top >= p.top && r.bottom <= p.bottom + 1;
    });
    expect(inView).toBe(true);
    await shot("ask");
  });

  it("searches with a kind filter and shows marked snippets", async () => {
    await page.goto(`${server.url}/#/search`);
    await page.locator("#search-query").fill("末端网点备案");
    await page.locator("#search-kind").selectOption("regulation");
    await page.locator("#search-form button[type=submit]").click();
    await page.getByTestId("search-result").first().waitFor();
    expect(await page.locator("#search-results mark").count()).toBeGreaterThan(0);
    await shot("search");
  });

  it("uploads a notice and sees its deadlines and the timeline", async () => {
    await page.goto(`${server.url}/#/notices`);
    const file = join(dir, "通知.txt");
    await writeFile(
      file,
      "关于开展寄递安全检查的通知\n各省（区、市）邮政管理局：\n请于10月25日前报送自查报告，11月30日前报送工作总结。\n国家邮政局办公室\n2024年10月12日\n",
    );
    await page.locator("#notice-file").setInputFiles(file);
    await page.locator("#notice-form button[type=submit]").click();
    await page.getByTestId("deadline-row").first().waitFor();
    const rows = await page.getByTestId("deadline-row").allTextContents();
    expect(rows.join("\n")).toContain("2024-10-25");
    expect(rows.join("\n")).toContain("2024-11-30");
    expect(await page.locator("#timeline svg circle.due").count()).toBeGreaterThanOrEqual(2);
    await shot("notices");
    await page.locator("#track-notice").click();
    await expect.poll(() => page.locator("#notice-status").textContent()).toContain("已加入督办 2 项");
  });

  it("drafts a bulletin from notes beside them, with warnings listed", async () => {
    await page.goto(`${server.url}/#/draft`);
    await page
      .locator("#draft-notes")
      .fill(
        "11月20日上午，某省邮政管理局召开全省寄递渠道安全工作会议。局长张某某出席会议并讲话，副局长李某某主持。会议要求：一要压实企业主体责任；二要加强安检。",
      );
    await page.locator("#draft-run").click();
    await expect.poll(() => page.locator("#draft-text").inputValue()).not.toBe("");
    expect(await page.locator("#draft-title").inputValue()).not.toBe("");
    await shot("draft");
  });

  it("shows the 督办 board in its colour levels and closes a task (办结)", async () => {
    await page.goto(`${server.url}/#/tasks`);
    await page.getByTestId("task").first().waitFor();
    expect(await page.getByTestId("task").count()).toBe(2);
    // the notice's dates are long past: both are overdue (red)
    expect(await page.locator(".task.lvl-red").count()).toBe(2);
    await shot("tasks");
    const first = page.getByTestId("task").first();
    await first.locator("input").first().fill("已报送");
    await first.getByRole("button", { name: "办结" }).click();
    await expect.poll(() => page.getByTestId("task").count()).toBe(1);
  });

  it("shows the corpus page to an admin", async () => {
    await page.goto(`${server.url}/#/corpus`);
    await expect.poll(() => page.locator("#document-rows tr").count()).toBeGreaterThan(1);
    expect(await page.locator("#document-rows").textContent()).toContain("快递暂行条例");
    await shot("corpus");
  });

  it("refuses an unauthenticated request: 401 and no corpus text", async () => {
    const fresh = await browser.newContext();
    try {
      const anon = await fresh.newPage();
      await anon.goto(`${server.url}/login`);
      const res = await anon.evaluate(async () => {
        const r = await fetch("/api/ask", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ question: "快递末端网点开办以后多少天内要备案？" }),
        });
        return { status: r.status, text: await r.text() };
      });
      expect(res.status).toBe(401);
      expect(res.text).not.toMatch(/备案|快递暂行条例/);
      await anon.goto(`${server.url}/#/corpus`);
      await anon.waitForURL(/\/login/);
    } finally {
      await fresh.close();
    }
  });
});
