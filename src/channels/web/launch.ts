/**
 * Start the web workspace from the configuration (called by `npm start` when WEB_PORT is set): the
 * accounts and the audit log come from the store, 督办 from the tasks service when there is one.
 */
import type { Assistant } from "../../assistant/assistant.js";
import type { AppConfig } from "../../config/config.js";
import type { Store } from "../../store/types.js";
import { startWebServer, type StartedWebServer, type WebTasks } from "./server.js";

export interface WebLaunch {
  config: AppConfig;
  assistant: Assistant;
  store: Store;
  tasks?: WebTasks;
  log: (line: string, level?: "debug" | "info" | "warn" | "error") => void;
  now?: () => Date;
}

export async function launchWeb(o: WebLaunch): Promise<StartedWebServer> {
  const web = o.config.web;
  if (!web) throw new Error("launchWeb needs WEB_PORT");
  const now = o.now ?? (() => new Date());
  const server = await startWebServer({
    assistant: o.assistant,
    accounts: o.store.accounts,
    corpusDirs: o.config.corpusDirs,
    ...(o.tasks ? { tasks: o.tasks } : {}),
    audit: {
      record: (e) => o.store.audit({ at: now().toISOString(), actor: `web:${e.actor}`, chat: null, action: e.action, subject: typeof e.detail?.question === "string" ? e.detail.question : typeof e.detail?.query === "string" ? e.detail.query : null, detail: e.detail ?? null }),
    },
    sessionTtlMs: web.sessionHours * 3600_000,
    secureCookies: web.secureCookies,
    ...(web.trustedUserHeader ? { trustedUserHeader: web.trustedUserHeader } : {}),
    trustedProxies: web.trustedProxies,
    allowedOrigins: web.allowedOrigins,
    port: web.port,
    host: web.host,
    now,
    log: o.log,
  });
  const accounts = await o.store.accounts.listAccounts();
  o.log(`[web] workspace at ${server.url}/${accounts.length ? "" : " — no users yet: add one with npm run -s users -- add NAME --role admin (password on stdin)"}`);
  // expired sessions are dropped hourly
  const sweep = setInterval(() => void o.store.accounts.deleteExpiredSessions(now().toISOString()).catch(() => {}), 3600_000);
  sweep.unref();
  return { url: server.url, close: async () => (clearInterval(sweep), server.close()) };
}
