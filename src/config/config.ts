/**
 * The one configuration object. Read once from the environment (and CLI overrides) by the
 * composition root, validated with zod, and passed down; no module reads process.env itself.
 */
import { z } from "zod";
import { ConfigError } from "../errors.js";
import type { EmbeddingsConfig } from "../index/embeddings/create-embeddings.js";
import type { LlmConfig } from "../llm/create-chat-model.js";
import { RETRIEVAL_MODES, type RetrievalMode } from "../retrieval/types.js";

const csv = (s: string | undefined) =>
  (s ?? "")
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** An http(s) URL; `new URL("localhost:8000")` parses ("localhost:" as the scheme), so the scheme is checked. */
const urlOf = (name: string, example: string, schemes: readonly string[] = ["http:", "https:"]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      let url: URL | null = null;
      try {
        url = new URL(v);
      } catch {
        url = null;
      }
      if (!url || !schemes.includes(url.protocol) || !url.hostname) {
        const scheme = schemes.map((x) => `${x}//`).join(" or ");
        ctx.addIssue({
          code: "custom",
          message: `${name} must be a URL starting with ${scheme}, such as ${example}; got "${v}"`,
        });
        return z.NEVER;
      }
      return v;
    });

const intFrom = (name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number ${range}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const oneOf = <const T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, { message: `${name} must be one of ${values.join(", ")}` }).optional();

// ---------------------------------------------------------------------------------------------
// Chat platforms: DingTalk, Feishu, WeCom (channels engineer's block). Each is on when its id and
// secret are set; …_BASE_URL points it at a private deployment (专有钉钉, 私有化飞书/企业微信) or a test fake.

const httpUrl = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^https?:\/\/[^\s/]+/i.test(v), {
      message: `${name} must be an http(s) URL such as https://api.dingtalk.com`,
    });
const wsUrl = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^wss?:\/\/[^\s/]+/i.test(v), {
      message: `${name} must be a ws(s) URL such as wss://openws.work.weixin.qq.com`,
    });

/**
 * The three platform bots: the prefix of their variables, the names of the id and secret variables
 * (as each admin console calls them) and of the settings fields they fill, and the scheme of …_BASE_URL.
 */
const PLATFORMS = {
  dingtalk: {
    prefix: "DINGTALK",
    id: ["CLIENT_ID", "clientId"],
    secret: ["CLIENT_SECRET", "clientSecret"],
    url: httpUrl,
  },
  feishu: { prefix: "FEISHU", id: ["APP_ID", "appId"], secret: ["APP_SECRET", "appSecret"], url: httpUrl },
  wecom: { prefix: "WECOM", id: ["BOT_ID", "botId"], secret: ["SECRET", "secret"], url: wsUrl },
} as const;
type Platform = keyof typeof PLATFORMS;

/** The variables of one platform bot: id, secret, allowed users, admins, base URL, rate limit. */
const platformEnv = <const P extends string, const I extends string, const S extends string>(
  prefix: P,
  id: I,
  secret: S,
  url: (name: string) => ReturnType<typeof httpUrl>,
) =>
  ({
    [`${prefix}_${id}`]: z.string().trim().optional(),
    [`${prefix}_${secret}`]: z.string().trim().optional(),
    [`${prefix}_ALLOWED_USERS`]: z.string().optional(),
    [`${prefix}_ADMINS`]: z.string().optional(),
    [`${prefix}_BASE_URL`]: url(`${prefix}_BASE_URL`),
    [`${prefix}_RATE_LIMIT_PER_MINUTE`]: intFrom(`${prefix}_RATE_LIMIT_PER_MINUTE`, 20, 1),
  }) as Record<`${P}_${I | S | "ALLOWED_USERS" | "ADMINS" | "BASE_URL"}`, z.ZodOptional<z.ZodString>> &
    Record<`${P}_RATE_LIMIT_PER_MINUTE`, ReturnType<typeof intFrom>>;

const CHANNEL_ENV = {
  ...platformEnv(
    PLATFORMS.dingtalk.prefix,
    PLATFORMS.dingtalk.id[0],
    PLATFORMS.dingtalk.secret[0],
    PLATFORMS.dingtalk.url,
  ),
  ...platformEnv(PLATFORMS.feishu.prefix, PLATFORMS.feishu.id[0], PLATFORMS.feishu.secret[0], PLATFORMS.feishu.url),
  ...platformEnv(PLATFORMS.wecom.prefix, PLATFORMS.wecom.id[0], PLATFORMS.wecom.secret[0], PLATFORMS.wecom.url),
};

/** What every platform bot is configured with besides its id and secret. */
export interface PlatformSettings {
  allowedUsers: string[];
  admins: string[];
  /**
   * API root (DingTalk: default https://api.dingtalk.com, a 专有钉钉 deployment or a test fake sets its own;
   * Feishu: default https://open.feishu.cn, Lark https://open.larksuite.com; WeCom: the WebSocket address,
   * default wss://openws.work.weixin.qq.com, a private deployment shows its own in the admin console).
   */
  baseUrl?: string;
  rateLimitPerMinute: number;
}

export interface ChannelSettings {
  dingtalk: null | (PlatformSettings & { clientId: string; clientSecret: string });
  feishu: null | (PlatformSettings & { appId: string; appSecret: string });
  wecom: null | (PlatformSettings & { botId: string; secret: string });
}

type ChannelEnv = z.infer<z.ZodObject<typeof CHANNEL_ENV>>;

function channelSettings(e: ChannelEnv, problems: string[]): ChannelSettings {
  const env = e as Record<string, string | number | undefined>;
  const str = (name: string) => env[name] as string | undefined;
  const out: ChannelSettings = { dingtalk: null, feishu: null, wecom: null };
  for (const key of Object.keys(PLATFORMS) as Platform[]) {
    const {
      prefix,
      id: [idVar, idField],
      secret: [secretVar, secretField],
    } = PLATFORMS[key];
    const [idName, secretName] = [`${prefix}_${idVar}`, `${prefix}_${secretVar}`];
    const [id, secret] = [str(idName), str(secretName)];
    if (id && !secret)
      problems.push(
        `${idName} is set but ${secretName} is not; copy both from the platform's admin console (see README).`,
      );
    if (secret && !id)
      problems.push(
        `${secretName} is set but ${idName} is not; copy both from the platform's admin console (see README).`,
      );
    if (!id || !secret) continue;
    if (key === "feishu" && !/^cli_[0-9a-fA-F]{16}$/.test(id))
      problems.push(
        `FEISHU_APP_ID must look like cli_a1b2c3d4e5f60718 (the App ID on the app's 凭证与基础信息 page), got "${id}".`,
      );
    const baseUrl = str(`${prefix}_BASE_URL`);
    (out as unknown as Record<Platform, object>)[key] = {
      [idField]: id,
      [secretField]: secret,
      allowedUsers: csv(str(`${prefix}_ALLOWED_USERS`)),
      admins: csv(str(`${prefix}_ADMINS`)),
      ...(baseUrl ? { baseUrl } : {}),
      rateLimitPerMinute: env[`${prefix}_RATE_LIMIT_PER_MINUTE`] as number,
    };
  }
  for (const key of Object.keys(PLATFORMS) as Platform[]) {
    const name = PLATFORMS[key].prefix;
    const list = str(`${name}_ALLOWED_USERS`) ?? str(`${name}_ADMINS`);
    if (list && !out[key] && !problems.some((p) => p.startsWith(name)))
      problems.push(
        `${name}_ALLOWED_USERS / ${name}_ADMINS are set but the ${name.toLowerCase()} bot is not: set its id and secret too (see README).`,
      );
  }
  return out;
}
// ---------------------------------------------------------------------------------------------

/** Telegram user ids are numbers; @usernames are 5–32 characters of A–Z, a–z, 0–9 and _. */
const USER = /^(?:\d{1,15}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;
/** Chat ids: numbers (groups negative), or a public @channel/@group name. */
const CHAT = /^(?:-?\d{1,15}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

const idList = (name: string, re: RegExp, what: string) =>
  z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      for (const item of csv(v)) {
        if (!re.test(item))
          ctx.addIssue({
            code: "custom",
            message: `${name}: "${item}" is not ${what}; write ids such as 123456789 (ask @userinfobot) or @usernames with the @ (e.g. @${item.replace(/^@/, "").replace(/[^A-Za-z0-9_]/g, "") || "name"})`,
          });
      }
    });

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const EnvSchema = z
  .object({
    CORPUS_DIRS: z
      .string()
      .optional()
      .refine((v) => v === undefined || v.trim() === "" || v.split(":").some((x) => x.trim() !== ""), {
        message: "CORPUS_DIRS must list folders separated by colons, such as corpus:../shared/corpus",
      }),
    INDEX_DIR: z.string().optional(),
    TIMEZONE: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (v !== undefined && v.trim() !== "" && !validTimeZone(v.trim()))
          ctx.addIssue({
            code: "custom",
            message: `TIMEZONE must be an IANA time zone such as Asia/Shanghai or UTC, got "${v}"`,
          });
      }),
    LOG_LEVEL: oneOf("LOG_LEVEL", ["debug", "info", "warn", "error", "silent"]),

    EMBEDDINGS_PROVIDER: oneOf("EMBEDDINGS_PROVIDER", ["hashing", "openai", "ollama", "onnx"]),
    EMBEDDINGS_MODEL: z.string().optional(),
    EMBEDDINGS_BASE_URL: urlOf("EMBEDDINGS_BASE_URL", "http://127.0.0.1:8000/v1"),
    EMBEDDINGS_API_KEY: z.string().optional(),
    EMBEDDINGS_MODEL_DIR: z.string().optional(),
    // a hashing vector is 4 bytes × dimensions per chunk: 65,536 is already 256 KB a chunk
    EMBEDDINGS_DIMENSIONS: intFrom("EMBEDDINGS_DIMENSIONS", 1024, 16, 65_536),
    // outbound calls fail fast: a search whose query cannot be embedded falls back to the keyword index
    EMBEDDINGS_TIMEOUT_MS: intFrom("EMBEDDINGS_TIMEOUT_MS", 15_000, 100, 3_600_000),
    EMBEDDINGS_MAX_RETRIES: intFrom("EMBEDDINGS_MAX_RETRIES", 1, 0, 10),
    VECTOR_INDEX: z.enum(["auto", "hnsw", "flat"], { message: "VECTOR_INDEX must be auto, hnsw or flat" }).optional(),

    RETRIEVAL_MODE: oneOf("RETRIEVAL_MODE", RETRIEVAL_MODES),
    RETRIEVAL_MAX_PER_DOC: intFrom("RETRIEVAL_MAX_PER_DOC", 3, 1, 1000),

    LLM_PROVIDER: oneOf("LLM_PROVIDER", ["none", "openai", "ollama"]),
    LLM_BASE_URL: urlOf("LLM_BASE_URL", "https://api.deepseek.com/v1"),
    LLM_API_KEY: z.string().optional(),
    LLM_MODEL: z.string().optional(),
    LLM_TIMEOUT_MS: intFrom("LLM_TIMEOUT_MS", 30_000, 100, 3_600_000),
    LLM_MAX_RETRIES: intFrom("LLM_MAX_RETRIES", 1, 0, 10),
    LLM_TEMPERATURE: z.string().optional(),

    TELEGRAM_BOT_TOKEN: z
      .string()
      .optional()
      .refine((v) => v === undefined || v.trim() === "" || /^\d+:[A-Za-z0-9_-]+$/.test(v.trim()), {
        message:
          "TELEGRAM_BOT_TOKEN must look like 123456789:AA… (the token BotFather gave you, digits, a colon, then letters)",
      }),
    TELEGRAM_API_ROOT: urlOf("TELEGRAM_API_ROOT", "https://api.telegram.org"),
    // Telegram only posts to https webhooks
    TELEGRAM_WEBHOOK_URL: urlOf(
      "TELEGRAM_WEBHOOK_URL",
      "https://bot.example.gov.cn/tg/hook (Telegram only calls https webhooks)",
      ["https:"],
    ),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^(?:[A-Za-z0-9_-]{1,256})?$/, {
        message: "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)",
      })
      .optional(),
    TELEGRAM_WEBHOOK_PORT: intFrom("TELEGRAM_WEBHOOK_PORT", 8443, 1, 65_535),
    TELEGRAM_WEBHOOK_HOST: z.string().trim().optional(),
    TELEGRAM_ALLOWED_USERS: idList("TELEGRAM_ALLOWED_USERS", USER, "a numeric user id or an @username"),
    TELEGRAM_ALLOWED_CHATS: idList(
      "TELEGRAM_ALLOWED_CHATS",
      CHAT,
      "a numeric chat id (groups are negative) or an @name",
    ),
    TELEGRAM_ADMINS: idList("TELEGRAM_ADMINS", USER, "a numeric user id or an @username"),
    TELEGRAM_RATE_LIMIT_PER_MINUTE: intFrom("TELEGRAM_RATE_LIMIT_PER_MINUTE", 20, 1, 10_000),

    // --- store and 督办 reminders (issue 15) ---
    STORE_PATH: z.string().optional(),
    DATABASE_URL: z
      .string()
      .trim()
      .regex(/^(?:postgres|postgresql):\/\/\S+$/, {
        message:
          "DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/assistant (unset it to use SQLite at STORE_PATH)",
      })
      .optional()
      .or(z.literal("")),
    REMIND_AT: z
      .string()
      .trim()
      .regex(/^(?:[01]?\d|2[0-3]):[0-5]\d$/, {
        message: "REMIND_AT must be a time of day HH:mm such as 09:00 (in TIMEZONE)",
      })
      .optional()
      .or(z.literal("")),
    REMIND_WORKDAYS: intFrom("REMIND_WORKDAYS", 3, 0),

    // --- web workspace ---
    WEB_PORT: z
      .string()
      .optional()
      .refine(
        (v) => v === undefined || v.trim() === "" || (/^\d+$/.test(v.trim()) && Number(v) >= 0 && Number(v) <= 65535),
        {
          message: "WEB_PORT must be a port number from 1 to 65535 (for example 8080)",
        },
      ),
    WEB_HOST: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.:[\]-]+$/, {
        message: "WEB_HOST must be an address or host name such as 127.0.0.1 or 0.0.0.0",
      })
      .optional(),
    WEB_TRUSTED_USER_HEADER: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]+$/, {
        message: "WEB_TRUSTED_USER_HEADER must be an HTTP header name such as X-Remote-User",
      })
      .optional(),
    WEB_TRUSTED_PROXIES: z.string().optional(),
    WEB_SESSION_HOURS: intFrom("WEB_SESSION_HOURS", 12, 1),
    WEB_SECURE_COOKIES: z.enum(["true", "false"], { message: "WEB_SECURE_COOKIES must be true or false" }).optional(),
    WEB_ALLOWED_ORIGINS: z.string().optional(),
  })
  .extend(CHANNEL_ENV);

export interface AppConfig {
  corpusDirs: string[];
  indexDir: string;
  timezone: string;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  embeddings: EmbeddingsConfig;
  retrieval: { mode: RetrievalMode; maxPerDoc: number };
  /** null when no language model is configured (the embedded default). */
  llm: null | LlmConfig;

  telegram: {
    token?: string;
    apiRoot?: string;
    webhookUrl?: string;
    webhookSecret?: string;
    webhookPort: number;
    /** Address the webhook server listens on (default 127.0.0.1, behind a reverse proxy). */
    webhookHost?: string;
    allowedUsers: string[];
    allowedChats: string[];
    admins: string[];
    rateLimitPerMinute: number;
  };
  /** DingTalk / Feishu / WeCom bots: null when not configured. */
  channels: ChannelSettings;
  /** null when WEB_PORT is not set (no web workspace). */
  web: null | {
    port: number;
    host: string;
    trustedUserHeader?: string;
    trustedProxies: string[];
    sessionHours: number;
    secureCookies: boolean;
    allowedOrigins: string[];
  };
  /** Where tasks, turns and the audit log are kept: PostgreSQL when databaseUrl is set, else SQLite at path. */
  store: { path: string; databaseUrl?: string };
  /** 督办 reminders: sent daily at remindAt (HH:mm in timezone), upcoming from `workdays` working days before the due day. */
  reminders: { remindAt: string; workdays: number };
}

/** Build the configuration from an environment (default: process.env). Throws ConfigError with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      variable: String(i.path[0] ?? "environment"),
      message: i.message,
    }));
    const lines = problems.map(
      (p) => `- ${p.message.startsWith(p.variable) ? p.message : `${p.variable}: ${p.message}`}`,
    );
    throw new ConfigError(
      `Invalid configuration:\n${lines.join("\n")}\nFix these environment variables (see README, "Configuration").`,
      { problems },
    );
  }
  const e = parsed.data;
  const problems: string[] = [];

  const embeddingsProvider = e.EMBEDDINGS_PROVIDER ?? "hashing";
  if (embeddingsProvider === "onnx" && !e.EMBEDDINGS_MODEL_DIR)
    problems.push(
      "EMBEDDINGS_PROVIDER=onnx needs EMBEDDINGS_MODEL_DIR, a local folder with a transformers.js model (config.json, tokenizer.json, onnx/model.onnx).",
    );
  if ((embeddingsProvider === "openai" || embeddingsProvider === "ollama") && !e.EMBEDDINGS_MODEL)
    problems.push(`EMBEDDINGS_PROVIDER=${embeddingsProvider} needs EMBEDDINGS_MODEL (for example bge-m3).`);

  let llm: AppConfig["llm"] = null;
  const llmProvider = e.LLM_PROVIDER ?? "none";
  if (llmProvider !== "none") {
    if (!e.LLM_MODEL)
      problems.push(`LLM_PROVIDER=${llmProvider} needs LLM_MODEL (for example deepseek-chat or qwen2.5:7b).`);
    if (llmProvider === "openai" && !e.LLM_BASE_URL && !e.LLM_API_KEY)
      problems.push("LLM_PROVIDER=openai needs LLM_BASE_URL (an OpenAI-compatible endpoint) or LLM_API_KEY.");
    const temperature =
      e.LLM_TEMPERATURE === undefined || e.LLM_TEMPERATURE.trim() === "" ? 0.2 : Number(e.LLM_TEMPERATURE);
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2)
      problems.push(`LLM_TEMPERATURE must be a number from 0 to 2, got "${e.LLM_TEMPERATURE}".`);
    llm = {
      provider: llmProvider,
      baseUrl: e.LLM_BASE_URL,
      apiKey: e.LLM_API_KEY,
      model: e.LLM_MODEL ?? "",
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      temperature,
    };
  }
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET)
    problems.push(
      "TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not; set a random secret so Telegram's calls can be verified.",
    );
  const channels = channelSettings(e, problems);
  const trustedProxies = csv(e.WEB_TRUSTED_PROXIES);
  if (e.WEB_TRUSTED_USER_HEADER && !trustedProxies.length)
    problems.push(
      "WEB_TRUSTED_USER_HEADER is set but WEB_TRUSTED_PROXIES is not; list the reverse proxy's addresses (for example 127.0.0.1), or the header would be ignored.",
    );
  for (const a of trustedProxies)
    if (!/^[0-9.]+$|^[0-9a-fA-F:]+$/.test(a))
      problems.push(`WEB_TRUSTED_PROXIES: "${a}" is not an IP address; list the proxy's addresses, comma-separated.`);
  const allowedOrigins = csv(e.WEB_ALLOWED_ORIGINS);
  for (const o of allowedOrigins)
    if (!/^https?:\/\/[^/\s]+$/.test(o))
      problems.push(
        `WEB_ALLOWED_ORIGINS: "${o}" must be an origin such as https://zhushou.example.gov.cn (scheme and host, no path).`,
      );
  if (problems.length)
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `- ${p}`).join("\n")}`, {
      problems: problems.map((p) => ({ variable: /^[A-Z_]+/.exec(p)?.[0] ?? "environment", message: p })),
    });
  const webPort = e.WEB_PORT?.trim() ? Number(e.WEB_PORT) : null;

  const corpusDirs = e.CORPUS_DIRS ? e.CORPUS_DIRS.split(":").filter(Boolean) : ["corpus"];
  return {
    corpusDirs,
    indexDir: e.INDEX_DIR || "data",
    timezone: e.TIMEZONE?.trim() || "Asia/Shanghai",
    logLevel: e.LOG_LEVEL ?? "info",
    embeddings: {
      provider: embeddingsProvider,
      model: e.EMBEDDINGS_MODEL,
      baseUrl: e.EMBEDDINGS_BASE_URL,
      apiKey: e.EMBEDDINGS_API_KEY,
      modelDir: e.EMBEDDINGS_MODEL_DIR,
      dimensions: e.EMBEDDINGS_DIMENSIONS,
      timeoutMs: e.EMBEDDINGS_TIMEOUT_MS,
      maxRetries: e.EMBEDDINGS_MAX_RETRIES,
      vectorIndex: e.VECTOR_INDEX ?? "auto",
    },
    retrieval: { mode: e.RETRIEVAL_MODE ?? "hybrid", maxPerDoc: e.RETRIEVAL_MAX_PER_DOC },
    llm,
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN || undefined,
      apiRoot: e.TELEGRAM_API_ROOT,
      webhookUrl: e.TELEGRAM_WEBHOOK_URL,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      webhookPort: e.TELEGRAM_WEBHOOK_PORT,
      webhookHost: e.TELEGRAM_WEBHOOK_HOST || undefined,
      allowedUsers: csv(e.TELEGRAM_ALLOWED_USERS),
      allowedChats: csv(e.TELEGRAM_ALLOWED_CHATS),
      admins: csv(e.TELEGRAM_ADMINS),
      rateLimitPerMinute: e.TELEGRAM_RATE_LIMIT_PER_MINUTE,
    },
    channels,
    store: { path: e.STORE_PATH || "data/assistant.db", ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}) },
    web:
      webPort === null
        ? null
        : {
            port: webPort,
            host: e.WEB_HOST || "127.0.0.1",
            ...(e.WEB_TRUSTED_USER_HEADER ? { trustedUserHeader: e.WEB_TRUSTED_USER_HEADER } : {}),
            trustedProxies,
            sessionHours: e.WEB_SESSION_HOURS,
            secureCookies: e.WEB_SECURE_COOKIES === "true",
            allowedOrigins,
          },
    reminders: { remindAt: (e.REMIND_AT || "09:00").padStart(5, "0"), workdays: e.REMIND_WORKDAYS },
  };
}
