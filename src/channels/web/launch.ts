/**
 * Start the web workspace from the configuration (called by `npm start` when WEB_PORT is set): the
 * accounts and the audit log come from the store, 督办 from the tasks service when there is one.
 */
import type { Assistant } from "../../assistant/assistant.js";
import type { AppConfig } from "../../config/config.js";
import type { Store } from "../../store/types.js";
import type { TaskService } from "../../assistant/tasks/task-service.js";
import { dueDay, taskJson } from "../../assistant/tasks/task-service.js";
import { reminderOn } from "../../assistant/tasks/levels.js";
import { startWebServer, type StartedWebServer, type WebTask, type WebTasks } from "./server.js";

export interface WebLaunch {
  config: AppConfig;
  assistant: Assistant;
  store: Store;
  tasks?: TaskService;
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
    ...(o.tasks ? { tasks: webTasks(o.tasks) } : {}),
    audit: {
      record: (e) =>
        o.store.audit({
          at: now().toISOString(),
          actor: `web:${e.actor}`,
          chat: null,
          action: e.action,
          subject:
            typeof e.detail?.question === "string"
              ? e.detail.question
              : typeof e.detail?.query === "string"
                ? e.detail.query
                : null,
          detail: e.detail ?? null,
        }),
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
  o.log(
    `[web] workspace at ${server.url}/${accounts.length ? "" : " — no users yet: add one with npm run -s users -- add NAME --role admin (password on stdin)"}`,
  );
  // expired sessions are dropped hourly
  const sweep = setInterval(
    () => void o.store.accounts.deleteExpiredSessions(now().toISOString()).catch(() => {}),
    3600_000,
  );
  sweep.unref();
  return {
    url: server.url,
    close: async () => {
      clearInterval(sweep);
      return server.close();
    },
  };
}

/** 督办 for the workspace over the task service: the contract's TASK plus today's reminder level. */
export function webTasks(tasks: TaskService): WebTasks {
  const withLevel = (t: Parameters<typeof taskJson>[0]): WebTask => {
    const r = t.status === "open" ? reminderOn(dueDay(t.due), tasks.today(), tasks.workdays) : null;
    return { ...taskJson(t), ...(r ? { level: r.level } : {}) };
  };
  return {
    list: async ({ status }) => (await tasks.list({ status })).map(withLevel),
    track: async (extracted, source) =>
      (await tasks.track(extracted, { title: source.title, path: source.path }, source.chat, `web:${source.by}`)).map(
        withLevel,
      ),
    done: async (id, { note, by }) => withLevel(await tasks.done(id, `web:${by}`, note ?? null)),
    extend: async (id, date, { reason, by }) => withLevel(await tasks.extend(id, date, reason, `web:${by}`)),
  };
}
