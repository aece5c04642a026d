/**
 * The web workspace's HTTP API on loopback, with the real assistant over the real corpus (embedded
 * default): sign-in, the contract's routes, the source panel's document route, access control,
 * CSRF and the sign-in rate limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, mkdir, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAssistant } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { createMemoryAccountStore, hashPassword } from "../src/store/accounts.js";
import { startWebServer, type StartedWebServer, type WebTask, type WebTasks } from "../src/channels/web/server.js";

let dir: string;
let server: StartedWebServer;
let corpus: string;
const tracked: WebTask[] = [];

const fakeTasks: WebTasks = {
  async list() {
    return tracked;
  },
  async track(extracted, source) {
    const tasks = extracted.actions
      .filter((a) => a.deadline?.end)
      .map((a, i) => ({
        id: `T${tracked.length + i + 1}`,
        owner: a.owner,
        action: a.action,
        due: a.deadline!.end!,
        status: "open" as const,
        recurrence: null,
        chat: null,
        source: { title: source.title, path: null, text: a.text },
      }));
    tracked.push(...tasks);
    return tasks;
  },
  async done(id) {
    const t = tracked.find((x) => x.id === id);
    if (!t) throw new Error("no such task");
    t.status = "done";
    return t;
  },
  async extend(id, date) {
    const t = tracked.find((x) => x.id === id)!;
    t.due = date;
    return t;
  },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "web-api-"));
  corpus = join(dir, "corpus");
  await mkdir(corpus);
  await cp("corpus", join(corpus, "bulletins"), { recursive: true });
  await cp("../shared/corpus/regulations/快递暂行条例.md", join(corpus, "快递暂行条例.md"));
  await cp("../shared/corpus/regulations/邮政法.md", join(corpus, "邮政法.md")).catch(() => {});
  const config = loadConfig({ CORPUS_DIRS: corpus, INDEX_DIR: join(dir, "index") });
  const assistant = createAssistant(config, { log: () => {} });
  await assistant.ingest();
  const accounts = createMemoryAccountStore();
  await accounts.addAccount({
    name: "admin",
    role: "admin",
    passwordHash: await hashPassword("correct horse"),
    createdAt: new Date().toISOString(),
  });
  await accounts.addAccount({
    name: "clerk",
    role: "user",
    passwordHash: await hashPassword("clerk password"),
    createdAt: new Date().toISOString(),
  });
  server = await startWebServer({
    assistant,
    accounts,
    corpusDirs: config.corpusDirs,
    tasks: fakeTasks,
    port: 0,
    trustedUserHeader: "X-Remote-User",
    trustedProxies: ["10.9.9.9"],
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function signIn(username: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(204);
  const cookie = res.headers.get("set-cookie") ?? "";
  return cookie.split(";")[0]!;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
const json = (res: Response): Promise<any> => res.json();

const post = (path: string, body: unknown, cookie?: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(cookie ? { Cookie: cookie } : {}), ...headers },
    body: JSON.stringify(body),
  });

describe("web API: access", () => {
  it("refuses every API route without a session: 401 and no corpus text", async () => {
    for (const [path, body] of [
      ["/api/ask", { question: "快递末端网点开办以后多少天内要备案？" }],
      ["/api/search", { query: "备案" }],
      ["/api/extract", { text: "请于2024年10月25日前报送。" }],
      ["/api/draft", { notes: "11月20日，召开会议。" }],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, path).toBe(401);
      const text = await res.text();
      expect(text).not.toMatch(/备案|快递|条例/);
    }
    const tasks = await fetch(`${server.url}/api/tasks`);
    expect(tasks.status).toBe(401);
    const doc = await fetch(`${server.url}/api/document?path=${encodeURIComponent(join(corpus, "快递暂行条例.md"))}`);
    expect(doc.status).toBe(401);
  });

  it("redirects pages to the sign-in page and serves that page and its assets", async () => {
    const res = await fetch(`${server.url}/`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login/);
    const login = await fetch(`${server.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('data-testid="sign-in"');
    expect((await fetch(`${server.url}/assets/style.css`)).status).toBe(200);
    expect((await fetch(`${server.url}/assets/..%2Fserver.ts`)).status).toBe(404);
  });

  it("rejects a wrong password with 401 and sets an HttpOnly SameSite=Strict cookie on success", async () => {
    expect((await post("/api/session", { username: "admin", password: "wrong" })).status).toBe(401);
    expect((await post("/api/session", { username: "nobody", password: "whatever" })).status).toBe(401);
    const res = await post("/api/session", { username: "admin", password: "correct horse" });
    expect(res.status).toBe(204);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it("limits failed sign-ins per user name (429 with Retry-After), other users unaffected", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await post("/api/session", { username: "clerk", password: `guess ${i}` })).status);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes[5]).toBe(429);
    const blocked = await post("/api/session", { username: "clerk", password: "clerk password" });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await post("/api/session", { username: "admin", password: "correct horse" })).status).toBe(204);
  });

  it("refuses cross-site state-changing requests (CSRF) even with a valid session", async () => {
    const cookie = await signIn("admin", "correct horse");
    const cross = await post("/api/ask", { question: "备案" }, cookie, {
      Origin: "https://evil.example",
      "Sec-Fetch-Site": "cross-site",
    });
    expect(cross.status).toBe(403);
    const form = await fetch(`${server.url}/api/ask`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "text/plain" },
      body: "question=x",
    });
    expect(form.status).toBe(415);
  });

  it("trusts the SSO header only from a trusted proxy address", async () => {
    const res = await post("/api/ask", { question: "快递末端网点备案" }, undefined, { "X-Remote-User": "admin" });
    expect(res.status).toBe(401);
  });

  it("signs out: the cookie no longer works", async () => {
    const cookie = await signIn("admin", "correct horse");
    const out = await fetch(`${server.url}/api/session`, { method: "DELETE", headers: { Cookie: cookie } });
    expect(out.status).toBe(204);
    expect((await post("/api/ask", { question: "备案" }, cookie)).status).toBe(401);
  });
});

describe("web API: the workspace's routes", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await signIn("admin", "correct horse");
  });

  it("asks: 快递末端网点开办以后多少天内要备案？ cites 快递暂行条例 第十八条", async () => {
    const res = await post("/api/ask", { question: "快递末端网点开办以后多少天内要备案？" }, cookie);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.abstained).toBe(false);
    expect(
      body.citations.some(
        (c: { title: string; section: string }) => c.title === "快递暂行条例" && c.section === "第十八条",
      ),
    ).toBe(true);
  });

  it("opens a cited document with the passage located, and only documents of the corpus", async () => {
    const ask = await json(await post("/api/ask", { question: "快递末端网点开办以后多少天内要备案？" }, cookie));
    const c = ask.citations.find((x: { section: string }) => x.section === "第十八条");
    const q = new URLSearchParams({ path: c.path, passage: c.chunkText ?? "", quote: c.quote });
    const res = await fetch(`${server.url}/api/document?${q}`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.highlight).not.toBeNull();
    expect(doc.text.slice(doc.highlight.start, doc.highlight.end)).toContain("20日内");
    for (const path of ["/etc/passwd", join(corpus, "..", "index", "CURRENT"), join(corpus, "../../../etc/hosts")]) {
      const bad = await fetch(`${server.url}/api/document?path=${encodeURIComponent(path)}`, {
        headers: { Cookie: cookie },
      });
      expect(bad.status, path).toBe(404);
    }
  });

  it("searches with filters and marked snippets; validates input", async () => {
    const res = await post("/api/search", { query: "末端网点 备案", k: 5, kind: "regulation" }, cookie);
    const body = await json(res);
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.every((r: { kind: string }) => r.kind === "regulation")).toBe(true);
    expect(body.results[0].snippet).toContain("\u0001");
    expect((await post("/api/search", { query: "备案", since: "2024/01/01" }, cookie)).status).toBe(400);
    expect((await post("/api/search", { query: "" }, cookie)).status).toBe(400);
  });

  it("extracts deadlines from pasted text and gives an .ics", async () => {
    const text =
      "关于开展安全检查的通知\n各省（区、市）邮政管理局：\n请于10月25日前报送自查报告，11月30日前报送总结。\n国家邮政局办公室\n2024年10月12日";
    const res = await post("/api/extract", { text }, cookie);
    const body = await json(res);
    expect(body.ref).toBe("2024-10-12");
    expect(body.deadlines.map((d: { end: string }) => d.end)).toEqual(
      expect.arrayContaining(["2024-10-25", "2024-11-30"]),
    );
    const ics = await post("/api/extract/ics", { text }, cookie);
    expect(ics.headers.get("content-type")).toMatch(/text\/calendar/);
    expect(await ics.text()).toContain("BEGIN:VEVENT");
  });

  it("extracts from an uploaded notice file", async () => {
    const form = new FormData();
    form.append(
      "file",
      new Blob(["关于报送材料的通知\n各市局：\n请于2024年12月20日前报送年度总结。\n某省邮政管理局\n2024年12月2日"], {
        type: "text/plain",
      }),
      "通知.txt",
    );
    const res = await fetch(`${server.url}/api/extract`, { method: "POST", headers: { Cookie: cookie }, body: form });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.deadlines.some((d: { end: string }) => d.end === "2024-12-20")).toBe(true);
  });

  it("tracks a notice as 督办 and lists, closes and extends tasks", async () => {
    const text =
      "关于开展安全检查的通知\n各省（区、市）邮政管理局：\n请于10月25日前报送自查报告。\n国家邮政局办公室\n2024年10月12日";
    const tracked = await json(await post("/api/tasks", { text }, cookie));
    expect(tracked.tasks.length).toBeGreaterThan(0);
    const list = await json(await fetch(`${server.url}/api/tasks`, { headers: { Cookie: cookie } }));
    expect(list.tasks.length).toBeGreaterThan(0);
    const id = tracked.tasks[0].id;
    expect((await post(`/api/tasks/${id}/extend`, { date: "2024-10-30" }, cookie)).status).toBe(400);
    expect((await post(`/api/tasks/${id}/extend`, { date: "2024-10-30", reason: "材料未齐" }, cookie)).status).toBe(
      200,
    );
    expect((await post(`/api/tasks/${id}/done`, { note: "已报送" }, cookie)).status).toBe(200);
  });

  it("drafts from notes", async () => {
    const res = await post(
      "/api/draft",
      { notes: "11月20日，某省邮政管理局召开寄递安全工作会议。局长张某某出席会议并讲话。" },
      cookie,
    );
    const body = await json(res);
    expect(typeof body.title).toBe("string");
    expect(body.text.length).toBeGreaterThan(0);
    expect(Array.isArray(body.warnings)).toBe(true);
  });

  it("lets admins list the corpus; refuses uploads that would never be indexed", async () => {
    const list = await json(await fetch(`${server.url}/api/corpus`, { headers: { Cookie: cookie } }));
    expect(
      list.documents.some((d: { title: string; chunks: number }) => d.title === "快递暂行条例" && d.chunks > 10),
    ).toBe(true);
    const form = new FormData();
    form.append("file", new Blob(["# readme"], { type: "text/markdown" }), "README.md");
    const res = await fetch(`${server.url}/api/corpus`, { method: "POST", headers: { Cookie: cookie }, body: form });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatch(/README/);
  });

  it("gives a plain 400 for a body that is not JSON, not a stack trace", async () => {
    const res = await fetch(`${server.url}/api/ask`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/at .*\.ts/);
  });
});

describe("web API: roles", () => {
  it("refuses the corpus page's API to a plain user", async () => {
    const accounts = createMemoryAccountStore();
    await accounts.addAccount({
      name: "u",
      role: "user",
      passwordHash: await hashPassword("user password"),
      createdAt: new Date().toISOString(),
    });
    const { createFakeAssistant } = await import("./fakes/fake-assistant.js");
    const s = await startWebServer({ assistant: createFakeAssistant(), accounts, corpusDirs: [dir], port: 0 });
    try {
      const login = await fetch(`${s.url}/api/session`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "u", password: "user password" }),
      });
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
      expect((await fetch(`${s.url}/api/corpus`, { headers: { Cookie: cookie } })).status).toBe(403);
      expect((await fetch(`${s.url}/api/corpus/reindex`, { method: "POST", headers: { Cookie: cookie } })).status).toBe(
        403,
      );
    } finally {
      await s.close();
    }
  });

  it("says plainly when the port is taken", async () => {
    const s = await startWebServer({
      assistant: (await import("./fakes/fake-assistant.js")).createFakeAssistant(),
      accounts: createMemoryAccountStore(),
      corpusDirs: [dir],
      port: 0,
    });
    try {
      const port = Number(new URL(s.url).port);
      await expect(
        startWebServer({
          assistant: (await import("./fakes/fake-assistant.js")).createFakeAssistant(),
          accounts: createMemoryAccountStore(),
          corpusDirs: [dir],
          port,
        }),
      ).rejects.toThrow(/WEB_PORT .* already in use/);
    } finally {
      await s.close();
    }
  });
});
