/**
 * The one configuration object. Read once from the environment (and CLI overrides) by the
 * composition root, validated with zod, and passed down; no module reads process.env itself.
 */
import { z } from "zod";
import { ConfigError } from "../errors.js";

const csv = (s: string | undefined) =>
  (s ?? "")
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

const optionalUrl = z
  .string()
  .trim()
  .url({ message: "must be a URL such as http://127.0.0.1:8000/v1" })
  .optional();

const intFrom = (name: string, def: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number ≥ ${min}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  CORPUS_DIRS: z.string().optional(),
  INDEX_DIR: z.string().optional(),
  TIMEZONE: z.string().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).optional(),

  EMBEDDINGS_PROVIDER: z.enum(["hashing", "openai", "ollama", "onnx"]).optional(),
  EMBEDDINGS_MODEL: z.string().optional(),
  EMBEDDINGS_BASE_URL: optionalUrl,
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL_DIR: z.string().optional(),
  EMBEDDINGS_DIMENSIONS: intFrom("EMBEDDINGS_DIMENSIONS", 1024, 16),
  VECTOR_INDEX: z.enum(["auto", "hnsw", "flat"], { message: 'VECTOR_INDEX must be auto, hnsw or flat' }).optional(),

  RETRIEVAL_MODE: z.enum(["hybrid", "keyword", "vector"]).optional(),
  RETRIEVAL_MAX_PER_DOC: intFrom("RETRIEVAL_MAX_PER_DOC", 3, 1),

  LLM_PROVIDER: z.enum(["none", "openai", "ollama"]).optional(),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  LLM_TIMEOUT_MS: intFrom("LLM_TIMEOUT_MS", 30_000, 100),
  LLM_TEMPERATURE: z.string().optional(),

  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_API_ROOT: optionalUrl,
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^(?:[A-Za-z0-9_-]{1,256})?$/, { message: "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)" })
    .optional(),
  TELEGRAM_WEBHOOK_PORT: intFrom("TELEGRAM_WEBHOOK_PORT", 8443, 1),
  TELEGRAM_ALLOWED_USERS: z.string().optional(),
  TELEGRAM_ALLOWED_CHATS: z.string().optional(),
  TELEGRAM_ADMINS: z.string().optional(),
  TELEGRAM_RATE_LIMIT_PER_MINUTE: intFrom("TELEGRAM_RATE_LIMIT_PER_MINUTE", 20, 1),

  // --- store and 督办 reminders (issue 15) ---
  STORE_PATH: z.string().optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(?:postgres|postgresql):\/\/\S+$/, { message: "DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/assistant (unset it to use SQLite at STORE_PATH)" })
    .optional()
    .or(z.literal("")),
  REMIND_AT: z
    .string()
    .trim()
    .regex(/^(?:[01]?\d|2[0-3]):[0-5]\d$/, { message: "REMIND_AT must be a time of day HH:mm such as 09:00 (in TIMEZONE)" })
    .optional()
    .or(z.literal("")),
  REMIND_WORKDAYS: intFrom("REMIND_WORKDAYS", 3, 0),

  // --- web workspace ---
  WEB_PORT: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim() === "" || (/^\d+$/.test(v.trim()) && Number(v) >= 0 && Number(v) <= 65535), {
      message: "WEB_PORT must be a port number from 1 to 65535 (for example 8080)",
    }),
  WEB_HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:[\]-]+$/, { message: "WEB_HOST must be an address or host name such as 127.0.0.1 or 0.0.0.0" })
    .optional(),
  WEB_TRUSTED_USER_HEADER: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]+$/, { message: "WEB_TRUSTED_USER_HEADER must be an HTTP header name such as X-Remote-User" })
    .optional(),
  WEB_TRUSTED_PROXIES: z.string().optional(),
  WEB_SESSION_HOURS: intFrom("WEB_SESSION_HOURS", 12, 1),
  WEB_SECURE_COOKIES: z.enum(["true", "false"], { message: "WEB_SECURE_COOKIES must be true or false" }).optional(),
  WEB_ALLOWED_ORIGINS: z.string().optional(),
});

export type EmbeddingsProvider = "hashing" | "openai" | "ollama" | "onnx";
export type RetrievalMode = "hybrid" | "keyword" | "vector";

export interface AppConfig {
  corpusDirs: string[];
  indexDir: string;
  timezone: string;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  embeddings: {
    provider: EmbeddingsProvider;
    model?: string;
    baseUrl?: string;
    apiKey?: string;
    modelDir?: string;
    /** Dimensions of the embedded hashing embedder. */
    dimensions: number;
    /**
     * Vector index form built at ingest: auto (exact flat scan for sparse vectors such as the
     * hashing embedder's, HNSW graph for dense ones), or forced.
     */
    vectorIndex?: "auto" | "hnsw" | "flat";
  };
  retrieval: { mode: RetrievalMode; maxPerDoc: number };
  /** null when no language model is configured (the embedded default). */
  llm: null | {
    provider: "openai" | "ollama";
    baseUrl?: string;
    apiKey?: string;
    model: string;
    timeoutMs: number;
    temperature: number;
  };
  telegram: {
    token?: string;
    apiRoot?: string;
    webhookUrl?: string;
    webhookSecret?: string;
    webhookPort: number;
    allowedUsers: string[];
    allowedChats: string[];
    admins: string[];
    rateLimitPerMinute: number;
  };
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
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".") || "environment"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nFix these environment variables (see README, "Configuration").`);
  }
  const e = parsed.data;
  const problems: string[] = [];

  const embeddingsProvider = e.EMBEDDINGS_PROVIDER ?? "hashing";
  if (embeddingsProvider === "onnx" && !e.EMBEDDINGS_MODEL_DIR)
    problems.push("EMBEDDINGS_PROVIDER=onnx needs EMBEDDINGS_MODEL_DIR, a local folder with a transformers.js model (config.json, tokenizer.json, onnx/model.onnx).");
  if ((embeddingsProvider === "openai" || embeddingsProvider === "ollama") && !e.EMBEDDINGS_MODEL)
    problems.push(`EMBEDDINGS_PROVIDER=${embeddingsProvider} needs EMBEDDINGS_MODEL (for example bge-m3).`);

  let llm: AppConfig["llm"] = null;
  const llmProvider = e.LLM_PROVIDER ?? "none";
  if (llmProvider !== "none") {
    if (!e.LLM_MODEL) problems.push(`LLM_PROVIDER=${llmProvider} needs LLM_MODEL (for example deepseek-chat or qwen2.5:7b).`);
    if (llmProvider === "openai" && !e.LLM_BASE_URL && !e.LLM_API_KEY)
      problems.push("LLM_PROVIDER=openai needs LLM_BASE_URL (an OpenAI-compatible endpoint) or LLM_API_KEY.");
    const temperature = e.LLM_TEMPERATURE === undefined ? 0.2 : Number(e.LLM_TEMPERATURE);
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2)
      problems.push(`LLM_TEMPERATURE must be a number from 0 to 2, got "${e.LLM_TEMPERATURE}".`);
    llm = {
      provider: llmProvider,
      baseUrl: e.LLM_BASE_URL,
      apiKey: e.LLM_API_KEY,
      model: e.LLM_MODEL ?? "",
      timeoutMs: e.LLM_TIMEOUT_MS,
      temperature,
    };
  }
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET)
    problems.push("TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not; set a random secret so Telegram's calls can be verified.");
  const trustedProxies = csv(e.WEB_TRUSTED_PROXIES);
  if (e.WEB_TRUSTED_USER_HEADER && !trustedProxies.length)
    problems.push("WEB_TRUSTED_USER_HEADER is set but WEB_TRUSTED_PROXIES is not; list the reverse proxy's addresses (for example 127.0.0.1), or the header would be ignored.");
  for (const a of trustedProxies)
    if (!/^[0-9.]+$|^[0-9a-fA-F:]+$/.test(a)) problems.push(`WEB_TRUSTED_PROXIES: "${a}" is not an IP address; list the proxy's addresses, comma-separated.`);
  const allowedOrigins = csv(e.WEB_ALLOWED_ORIGINS);
  for (const o of allowedOrigins)
    if (!/^https?:\/\/[^/\s]+$/.test(o)) problems.push(`WEB_ALLOWED_ORIGINS: "${o}" must be an origin such as https://zhushou.example.gov.cn (scheme and host, no path).`);
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  const webPort = e.WEB_PORT?.trim() ? Number(e.WEB_PORT) : null;

  const corpusDirs = e.CORPUS_DIRS ? e.CORPUS_DIRS.split(":").filter(Boolean) : ["corpus"];
  return {
    corpusDirs,
    indexDir: e.INDEX_DIR || "data",
    timezone: e.TIMEZONE || "Asia/Shanghai",
    logLevel: e.LOG_LEVEL ?? "info",
    embeddings: {
      provider: embeddingsProvider,
      model: e.EMBEDDINGS_MODEL,
      baseUrl: e.EMBEDDINGS_BASE_URL,
      apiKey: e.EMBEDDINGS_API_KEY,
      modelDir: e.EMBEDDINGS_MODEL_DIR,
      dimensions: e.EMBEDDINGS_DIMENSIONS,
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
      allowedUsers: csv(e.TELEGRAM_ALLOWED_USERS),
      allowedChats: csv(e.TELEGRAM_ALLOWED_CHATS),
      admins: csv(e.TELEGRAM_ADMINS),
      rateLimitPerMinute: e.TELEGRAM_RATE_LIMIT_PER_MINUTE,
    },
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
