/**
 * The web workspace: the contract's JSON API (../shared/CLI-CONTRACT.md, "Web workspace") and the
 * pages that are one client of it, served by the same process on 127.0.0.1 (WEB_HOST to bind
 * elsewhere behind the bureau's reverse proxy).
 *
 * Stack: Hono on @hono/node-server (small, typed routing and middleware, no framework runtime in the
 * page), and plain HTML + ES modules for the page (no build step, no CDN: every asset is a file of
 * this folder, so the workspace works on an intranet with no internet access).
 */
import { Hono, type Context } from "hono";
import { serve, type ServerType } from "@hono/node-server";
import { readFile, realpath, unlink, writeFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { basename, extname, join, resolve, sep } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import type { Assistant, IngestReport } from "../../assistant/assistant.js";
import type { ExtractResponse } from "../../assistant/extract/types.js";
import { isSupported, SUPPORTED_EXTENSIONS } from "../../ingest/loaders/registry.js";
import { DOC_KINDS, type DocKind } from "../../ingest/types.js";
import { AssistantError, failureReason, IndexNotFoundError, InputError } from "../../errors.js";
import type { AccountStore } from "../../store/accounts.js";
import { createAuth, csrfGuard, type AuthEnv, type WebUser } from "./auth.js";
import { findPassage } from "./passage.js";
import { snippet } from "../../retrieval/highlight.js";

const SNIPPET_MARKS = { open: "\u0001", close: "\u0002" };

/** A tracked task as the contract prints it (TASK), plus the reminder level the board colours. */
export interface WebTask {
  id: string;
  owner: string;
  action: string;
  due: string;
  status: "open" | "done";
  recurrence: string | null;
  chat: string | null;
  source: { title: string; path: string | null; text: string };
  level?: string;
}

/** 督办 as the workspace uses it (implemented over the store by the tasks service). */
export interface WebTasks {
  list(options: { status: "open" | "done" | "all" }): Promise<WebTask[]>;
  track(
    extracted: ExtractResponse,
    source: { title: string; path: string | null; chat: string | null; by: string },
  ): Promise<WebTask[]>;
  done(id: string, options: { note?: string; by: string }): Promise<WebTask>;
  extend(id: string, date: string, options: { reason: string; by: string }): Promise<WebTask>;
}

export interface WebAudit {
  record(event: {
    actor: string;
    channel: "web";
    action: string;
    detail?: Record<string, unknown>;
  }): Promise<void> | void;
}

export interface WebOptions {
  assistant: Assistant;
  accounts: AccountStore;
  /** Corpus folders: the source panel only opens files inside them; uploads go to the first. */
  corpusDirs: string[];
  tasks?: WebTasks;
  audit?: WebAudit;
  sessionTtlMs?: number;
  secureCookies?: boolean;
  trustedUserHeader?: string;
  trustedProxies?: string[];
  allowedOrigins?: string[];
  /** Largest upload (notice or corpus document), bytes. */
  maxUploadBytes?: number;
  now?: () => Date;
  log?: (line: string, level?: "debug" | "info" | "warn" | "error") => void;
}

/** Where the page's files are: this folder's public/ (the build copies it into dist/src/: bin/copy-assets.mjs). */
export const PUBLIC_DIR = fileURLToPath(new URL("./public/", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface ReindexJob {
  state: "idle" | "running" | "done" | "failed";
  startedAt: string | null;
  finishedAt: string | null;
  lines: string[];
  report: IngestReport | null;
  error: string | null;
}

export function createWebApp(o: WebOptions) {
  const now = o.now ?? (() => new Date());
  const log = o.log ?? (() => {});
  const maxUpload = o.maxUploadBytes ?? 20 * 1024 * 1024;
  const auth = createAuth({
    accounts: o.accounts,
    sessionTtlMs: o.sessionTtlMs ?? 12 * 3600_000,
    secureCookies: o.secureCookies ?? false,
    trustedUserHeader: o.trustedUserHeader,
    trustedProxies: o.trustedProxies ?? [],
    loginAttempts: 5,
    loginWindowMs: 15 * 60_000,
    now,
  });
  const audit = (user: WebUser, action: string, detail?: Record<string, unknown>) =>
    Promise.resolve(o.audit?.record({ actor: user.name, channel: "web", action, detail })).catch((err) =>
      log(`[web] audit: ${failureReason(err)}`, "warn"),
    );

  let job: ReindexJob = { state: "idle", startedAt: null, finishedAt: null, lines: [], report: null, error: null };
  let lastReport: IngestReport | null = null;

  const app = new Hono<AuthEnv>();

  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    c.header(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  });
  app.use("*", csrfGuard(o.allowedOrigins));

  app.onError((err, c) => {
    if (err instanceof IndexNotFoundError) return c.json({ error: err.message }, 503);
    // a user's mistake (bad input, an unknown task, a closed task…) says what to do; no stack trace
    if (err instanceof InputError || err instanceof BadRequest || err instanceof AssistantError)
      return c.json({ error: err.message }, 400);
    log(
      `[web] ${c.req.method} ${c.req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      "error",
    );
    return c.json({ error: "服务器内部错误，请稍后重试；如仍失败请联系管理员。" }, 500);
  });

  // --- sign-in ---
  app.post("/api/session", async (c) => {
    const body = await jsonBody(c);
    const username = typeof body.username === "string" ? body.username.trim() : "";
    const password = typeof body.password === "string" ? body.password : "";
    if (!username || !password) return c.json({ error: "用户名和密码不能为空" }, 401);
    const result = await auth.signIn(c, username, password);
    if (!result.ok) {
      if (result.status === 429) {
        c.header("Retry-After", String(result.retryAfter ?? 60));
        return c.json({ error: `登录失败次数过多，请 ${Math.ceil((result.retryAfter ?? 60) / 60)} 分钟后再试` }, 429);
      }
      return c.json({ error: "用户名或密码错误" }, 401);
    }
    await audit(result.user, "sign-in");
    return c.body(null, 204);
  });

  // Everything below needs a signed-in user: API routes answer 401, pages redirect to the sign-in page.
  app.use("*", async (c, next) => {
    const path = c.req.path;
    if (path === "/login" || path.startsWith("/assets/")) return next();
    const user = await auth.userOf(c);
    if (!user) {
      if (path.startsWith("/api/")) return c.json({ error: "请先登录" }, 401);
      return c.redirect(`/login?next=${encodeURIComponent(path)}`, 302);
    }
    c.set("user", user);
    return next();
  });
  const adminOnly = async (c: Context<AuthEnv>, next: () => Promise<void>) => {
    if (c.get("user").role !== "admin") return c.json({ error: "只有管理员可以管理语料库" }, 403);
    return next();
  };

  app.get("/api/session", (c) => c.json({ user: c.get("user") }));
  app.delete("/api/session", async (c) => {
    await auth.signOut(c);
    return c.body(null, 204);
  });

  // --- the contract's API ---
  app.post("/api/ask", async (c) => {
    const body = await jsonBody(c);
    const question = requireText(body.question, "question", 2000);
    const history = Array.isArray(body.history) ? body.history.filter(isTurn).slice(-6) : undefined;
    const answer = await o.assistant.ask(question, history ? { history } : undefined);
    await audit(c.get("user"), "ask", {
      question,
      citations: answer.citations.map((x) => `${x.title} ${x.section ?? ""}`.trim()),
      abstained: answer.abstained,
    });
    return c.json(answer);
  });

  app.post("/api/search", async (c) => {
    const body = await jsonBody(c);
    const query = requireText(body.query, "query", 500);
    const k = body.k === undefined ? 10 : Number(body.k);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw new BadRequest("k must be a whole number from 1 to 50");
    const kind = optional(
      body.kind,
      (v) => (DOC_KINDS as readonly string[]).includes(String(v)),
      `kind must be one of ${DOC_KINDS.join(", ")}`,
    ) as DocKind | undefined;
    const since = optional(body.since, (v) => DATE.test(String(v)), "since must be YYYY-MM-DD") as string | undefined;
    const until = optional(body.until, (v) => DATE.test(String(v)), "until must be YYYY-MM-DD") as string | undefined;
    const result = await o.assistant.search(query, {
      k,
      ...(kind ? { kind } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    });
    await audit(c.get("user"), "search", { query, kind, since, until });
    // extension: a snippet with the query's terms between \u0001 and \u0002, for the page to mark
    return c.json({
      ...result,
      results: result.results.map((r) => ({
        ...r,
        snippet: snippet(r.text, query, { width: 160, marks: SNIPPET_MARKS }),
      })),
    });
  });

  app.post("/api/extract", async (c) => {
    const { text, ref, title } = await noticeInput(c);
    const result = await o.assistant.extract({ text, ...(ref ? { ref } : {}) });
    await audit(c.get("user"), "extract", { title, deadlines: result.deadlines.length });
    return c.json({ ...result, title: result.title ?? title ?? null });
  });

  app.post("/api/extract/ics", async (c) => {
    if (!o.assistant.toIcs) return c.json({ error: "calendar export is not available" }, 501);
    const { text, ref, title } = await noticeInput(c);
    const result = await o.assistant.extract({ text, ...(ref ? { ref } : {}) });
    const ics = await o.assistant.toIcs(result, { source: result.title ?? title ?? "通知" });
    return c.body(ics, 200, {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="deadlines.ics"',
    });
  });

  app.post("/api/draft", async (c) => {
    const body = await jsonBody(c);
    const notes = requireText(body.notes, "notes", 50_000);
    const form = optional(body.form, (v) => v === "bulletin" || v === "summary", "form must be bulletin or summary") as
      | "bulletin"
      | "summary"
      | undefined;
    const result = await o.assistant.draft(notes, form ? { form } : undefined);
    await audit(c.get("user"), "draft", { form: form ?? "bulletin", warnings: result.warnings.length });
    return c.json(result);
  });

  // --- 督办 ---
  app.get("/api/tasks", async (c) => {
    if (!o.tasks) return c.json({ tasks: [] });
    const status = c.req.query("status") ?? "open";
    if (status !== "open" && status !== "done" && status !== "all")
      throw new BadRequest("status must be open, done or all");
    return c.json({ tasks: await o.tasks.list({ status }) });
  });
  app.post("/api/tasks", async (c) => {
    if (!o.tasks) return c.json({ error: "督办 needs the task store" }, 501);
    const { text, ref, title } = await noticeInput(c);
    const extracted = await o.assistant.extract({ text, ...(ref ? { ref } : {}) });
    const tasks = await o.tasks.track(extracted, {
      title: extracted.title ?? title ?? "通知",
      path: null,
      chat: null,
      by: c.get("user").name,
    });
    await audit(c.get("user"), "tasks.track", { title: extracted.title ?? title, tasks: tasks.map((t) => t.id) });
    return c.json({ notice: { title: extracted.title ?? title ?? "通知", ref: extracted.ref, path: null }, tasks });
  });
  app.post("/api/tasks/:id/done", async (c) => {
    if (!o.tasks) return c.json({ error: "督办 needs the task store" }, 501);
    const body = await jsonBody(c, true);
    const note = typeof body.note === "string" ? body.note.slice(0, 1000) : undefined;
    const task = await o.tasks.done(c.req.param("id"), { ...(note ? { note } : {}), by: c.get("user").name });
    await audit(c.get("user"), "tasks.done", { id: task.id });
    return c.json(task);
  });
  app.post("/api/tasks/:id/extend", async (c) => {
    if (!o.tasks) return c.json({ error: "督办 needs the task store" }, 501);
    const body = await jsonBody(c);
    const date = requireText(body.date, "date", 10);
    if (!DATE.test(date)) throw new BadRequest("date must be YYYY-MM-DD");
    const reason = requireText(body.reason, "reason", 1000);
    const task = await o.tasks.extend(c.req.param("id"), date, { reason, by: c.get("user").name });
    await audit(c.get("user"), "tasks.extend", { id: task.id, date, reason });
    return c.json(task);
  });

  // --- the source panel: a corpus document, with the cited passage located ---
  app.get("/api/document", async (c) => {
    const path = c.req.query("path") ?? "";
    const file = await insideCorpus(path);
    if (!file) return c.json({ error: "该文件不在语料库中" }, 404);
    const doc = await o.assistant.loadDocument(file);
    const passage = c.req.query("passage") ?? "";
    const quote = c.req.query("quote") ?? "";
    return c.json({ meta: doc.meta, text: doc.text, highlight: findPassage(doc.text, [passage, quote]) });
  });

  // --- corpus administration (admins) ---
  app.get("/api/corpus", adminOnly, async (c) => {
    const documents = o.assistant.documents ? await o.assistant.documents() : [];
    return c.json({ documents, failed: lastReport?.failed ?? [], reindex: job, supported: SUPPORTED_EXTENSIONS });
  });
  app.post("/api/corpus", adminOnly, async (c) => {
    const root = o.corpusDirs[0];
    if (!root) return c.json({ error: "no corpus folder is configured (CORPUS_DIRS)" }, 500);
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File)) throw new BadRequest("choose a file to upload");
    const name = safeFileName(file.name);
    if (file.size > maxUpload) throw new BadRequest(`${name} is larger than ${Math.round(maxUpload / 1048576)} MB`);
    const dir = resolve(root, "uploads");
    await mkdir(dir, { recursive: true });
    const target = join(dir, name);
    await writeFile(target, Buffer.from(await file.arrayBuffer()));
    await audit(c.get("user"), "corpus.add", { file: name });
    startReindex(c.get("user"));
    return c.json({ added: target, reindex: job }, 202);
  });
  app.delete("/api/corpus", adminOnly, async (c) => {
    const file = await insideCorpus(c.req.query("path") ?? "");
    if (!file) return c.json({ error: "该文件不在语料库中" }, 404);
    await unlink(file);
    await audit(c.get("user"), "corpus.remove", { file });
    startReindex(c.get("user"));
    return c.json({ removed: file, reindex: job }, 202);
  });
  app.post("/api/corpus/reindex", adminOnly, async (c) => {
    startReindex(c.get("user"));
    return c.json({ reindex: job }, 202);
  });
  app.get("/api/corpus/reindex", adminOnly, (c) => c.json({ reindex: job }));

  // --- pages ---
  app.get("/login", (c) => page(c, "login.html"));
  app.get("/assets/:file", async (c) => {
    const name = c.req.param("file");
    if (!/^[a-z0-9-]+\.(js|css|svg|ico)$/.test(name)) return c.notFound();
    return page(c, name);
  });
  app.get("/", (c) => page(c, "index.html"));

  function startReindex(user: WebUser) {
    if (job.state === "running") return;
    job = { state: "running", startedAt: now().toISOString(), finishedAt: null, lines: [], report: null, error: null };
    const current = job;
    o.assistant
      .ingest({ onProgress: (line) => void (current.lines = [...current.lines, line].slice(-50)) })
      .then((report) => {
        lastReport = report;
        Object.assign(current, { state: "done", finishedAt: now().toISOString(), report });
        void audit(user, "corpus.reindex", {
          added: report.added.length,
          updated: report.updated.length,
          removed: report.removed.length,
          failed: report.failed.length,
        });
      })
      .catch((err) =>
        Object.assign(current, { state: "failed", finishedAt: now().toISOString(), error: failureReason(err) }),
      );
  }

  /** The real path of `path` when it is a file inside one of the corpus folders, else null. */
  async function insideCorpus(path: string): Promise<string | null> {
    if (!path || path.includes("\0")) return null;
    let real: string;
    try {
      real = await realpath(resolve(path));
    } catch {
      return null;
    }
    for (const dir of o.corpusDirs) {
      const root = await realpath(resolve(dir)).catch(() => null);
      if (root && real.startsWith(root + sep) && isSupported(real)) return real;
    }
    return null;
  }

  /** A notice from JSON {text, ref?} or an uploaded file (multipart: file, ref?). */
  async function noticeInput(c: Context): Promise<{ text: string; ref?: string; title?: string }> {
    const type = c.req.header("content-type") ?? "";
    if (/^multipart\/form-data/i.test(type)) {
      const form = await c.req.parseBody();
      const ref = typeof form.ref === "string" && form.ref ? form.ref : undefined;
      if (ref && !DATE.test(ref)) throw new BadRequest("ref must be YYYY-MM-DD");
      const file = form.file;
      if (!(file instanceof File)) throw new BadRequest("choose a notice file to upload");
      const name = safeFileName(file.name);
      if (file.size > maxUpload) throw new BadRequest(`${name} is larger than ${Math.round(maxUpload / 1048576)} MB`);
      const dir = await mkdtemp(join(tmpdir(), "pa-web-"));
      try {
        const path = join(dir, name);
        await writeFile(path, Buffer.from(await file.arrayBuffer()));
        const doc = await o.assistant.loadDocument(path);
        return {
          text: doc.text,
          ...(ref ? { ref } : doc.meta.date ? { ref: doc.meta.date } : {}),
          title: doc.meta.title,
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    const body = await jsonBody(c);
    const text = requireText(body.text, "text", 200_000);
    const ref = optional(body.ref, (v) => DATE.test(String(v)), "ref must be YYYY-MM-DD") as string | undefined;
    return { text, ...(ref ? { ref } : {}) };
  }

  return app;
}

async function page(c: Context, file: string) {
  const body = await readFile(join(PUBLIC_DIR, file));
  return c.body(body, 200, {
    "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    "Cache-Control": "no-cache",
  });
}

class BadRequest extends Error {}

async function jsonBody(c: Context, allowEmpty = false): Promise<Record<string, unknown>> {
  const raw = await c.req.text();
  if (!raw.trim()) {
    if (allowEmpty) return {};
    throw new BadRequest("send a JSON object");
  }
  if (raw.length > 1_000_000) throw new BadRequest("the request is too large");
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BadRequest("the request body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new BadRequest("send a JSON object");
  return body as Record<string, unknown>;
}

function requireText(v: unknown, name: string, max: number): string {
  if (typeof v !== "string" || !v.trim()) throw new BadRequest(`${name} is required`);
  if (v.length > max) throw new BadRequest(`${name} is too long (at most ${max} characters)`);
  return v.trim();
}

function optional(v: unknown, ok: (v: unknown) => boolean, message: string): unknown {
  if (v === undefined || v === null || v === "") return undefined;
  if (!ok(v)) throw new BadRequest(message);
  return v;
}

function isTurn(t: unknown): t is { question: string; answer?: string } {
  return !!t && typeof t === "object" && typeof (t as { question?: unknown }).question === "string";
}

/** The base name of an uploaded file, refused when it is not a document the corpus would index. */
function safeFileName(name: string): string {
  const base = basename(name.replace(/\\/g, "/")).trim();
  if (!base || base.startsWith(".") || /^readme\.(md|txt)$/i.test(base))
    throw new BadRequest(`${base || "(no name)"} would not be indexed (hidden files and README files are skipped)`);
  if (!isSupported(base))
    throw new BadRequest(`${base}: unsupported file type; supported: ${SUPPORTED_EXTENSIONS.join(", ")}`);
  return base;
}

export interface StartedWebServer {
  url: string;
  close(): Promise<void>;
}

/** Serve the workspace; resolves once listening (port 0 picks a free port). */
export function startWebServer(o: WebOptions & { port: number; host?: string }): Promise<StartedWebServer> {
  const app = createWebApp(o);
  const host = o.host ?? "127.0.0.1";
  return new Promise((resolvePromise, reject) => {
    let server: ServerType;
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new Error(
              `WEB_PORT ${o.port} on ${host} is already in use: stop the other program or choose another WEB_PORT.`,
            )
          : err.code === "EACCES"
            ? new Error(`WEB_PORT ${o.port} needs privileges on ${host}: choose a port above 1024.`)
            : err,
      );
    server = serve({ fetch: app.fetch, port: o.port, hostname: host }, (info) => {
      server.off("error", onError);
      const shownHost = info.address.includes(":") ? `[${info.address}]` : info.address;
      resolvePromise({
        url: `http://${shownHost}:${info.port}`,
        close: () =>
          new Promise<void>((r) => {
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
    server.once("error", onError);
  });
}
