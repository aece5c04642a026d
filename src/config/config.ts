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

// ---------------------------------------------------------------------------------------------
// Chat platforms: DingTalk, Feishu, WeCom (channels engineer's block). Each is on when its id and
// secret are set; …_BASE_URL points it at a private deployment (专有钉钉, 私有化飞书/企业微信) or a test fake.

const httpUrl = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^https?:\/\/[^\s/]+/i.test(v), { message: `${name} must be an http(s) URL such as https://api.dingtalk.com` });
const wsUrl = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^wss?:\/\/[^\s/]+/i.test(v), { message: `${name} must be a ws(s) URL such as wss://openws.work.weixin.qq.com` });

const CHANNEL_ENV = {
  DINGTALK_CLIENT_ID: z.string().trim().optional(),
  DINGTALK_CLIENT_SECRET: z.string().trim().optional(),
  DINGTALK_ALLOWED_USERS: z.string().optional(),
  DINGTALK_ADMINS: z.string().optional(),
  DINGTALK_BASE_URL: httpUrl("DINGTALK_BASE_URL"),
  DINGTALK_RATE_LIMIT_PER_MINUTE: intFrom("DINGTALK_RATE_LIMIT_PER_MINUTE", 20, 1),
  FEISHU_APP_ID: z.string().trim().optional(),
  FEISHU_APP_SECRET: z.string().trim().optional(),
  FEISHU_ALLOWED_USERS: z.string().optional(),
  FEISHU_ADMINS: z.string().optional(),
  FEISHU_BASE_URL: httpUrl("FEISHU_BASE_URL"),
  FEISHU_RATE_LIMIT_PER_MINUTE: intFrom("FEISHU_RATE_LIMIT_PER_MINUTE", 20, 1),
  WECOM_BOT_ID: z.string().trim().optional(),
  WECOM_SECRET: z.string().trim().optional(),
  WECOM_ALLOWED_USERS: z.string().optional(),
  WECOM_ADMINS: z.string().optional(),
  WECOM_BASE_URL: wsUrl("WECOM_BASE_URL"),
  WECOM_RATE_LIMIT_PER_MINUTE: intFrom("WECOM_RATE_LIMIT_PER_MINUTE", 20, 1),
};

interface PlatformSettings {
  allowedUsers: string[];
  admins: string[];
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
  const pair = (idName: string, id: string | undefined, secretName: string, secret: string | undefined) => {
    if (id && !secret) problems.push(`${idName} is set but ${secretName} is not; copy both from the platform's admin console (see README).`);
    if (secret && !id) problems.push(`${secretName} is set but ${idName} is not; copy both from the platform's admin console (see README).`);
    return Boolean(id && secret);
  };
  const lists = (users: string | undefined, admins: string | undefined) => ({ allowedUsers: csv(users), admins: csv(admins) });
  const out: ChannelSettings = { dingtalk: null, feishu: null, wecom: null };
  if (pair("DINGTALK_CLIENT_ID", e.DINGTALK_CLIENT_ID, "DINGTALK_CLIENT_SECRET", e.DINGTALK_CLIENT_SECRET))
    out.dingtalk = {
      clientId: e.DINGTALK_CLIENT_ID!,
      clientSecret: e.DINGTALK_CLIENT_SECRET!,
      ...lists(e.DINGTALK_ALLOWED_USERS, e.DINGTALK_ADMINS),
      ...(e.DINGTALK_BASE_URL ? { baseUrl: e.DINGTALK_BASE_URL } : {}),
      rateLimitPerMinute: e.DINGTALK_RATE_LIMIT_PER_MINUTE,
    };
  if (pair("FEISHU_APP_ID", e.FEISHU_APP_ID, "FEISHU_APP_SECRET", e.FEISHU_APP_SECRET)) {
    if (!/^cli_[0-9a-fA-F]{16}$/.test(e.FEISHU_APP_ID!))
      problems.push(`FEISHU_APP_ID must look like cli_a1b2c3d4e5f60718 (the App ID on the app's 凭证与基础信息 page), got "${e.FEISHU_APP_ID}".`);
    out.feishu = {
      appId: e.FEISHU_APP_ID!,
      appSecret: e.FEISHU_APP_SECRET!,
      ...lists(e.FEISHU_ALLOWED_USERS, e.FEISHU_ADMINS),
      ...(e.FEISHU_BASE_URL ? { baseUrl: e.FEISHU_BASE_URL } : {}),
      rateLimitPerMinute: e.FEISHU_RATE_LIMIT_PER_MINUTE,
    };
  }
  if (pair("WECOM_BOT_ID", e.WECOM_BOT_ID, "WECOM_SECRET", e.WECOM_SECRET))
    out.wecom = {
      botId: e.WECOM_BOT_ID!,
      secret: e.WECOM_SECRET!,
      ...lists(e.WECOM_ALLOWED_USERS, e.WECOM_ADMINS),
      ...(e.WECOM_BASE_URL ? { baseUrl: e.WECOM_BASE_URL } : {}),
      rateLimitPerMinute: e.WECOM_RATE_LIMIT_PER_MINUTE,
    };
  const orphan: [string, string | undefined, unknown][] = [
    ["DINGTALK", e.DINGTALK_ALLOWED_USERS ?? e.DINGTALK_ADMINS, out.dingtalk],
    ["FEISHU", e.FEISHU_ALLOWED_USERS ?? e.FEISHU_ADMINS, out.feishu],
    ["WECOM", e.WECOM_ALLOWED_USERS ?? e.WECOM_ADMINS, out.wecom],
  ];
  for (const [name, list, on] of orphan)
    if (list && !on && !problems.some((p) => p.startsWith(name)))
      problems.push(`${name}_ALLOWED_USERS / ${name}_ADMINS are set but the ${name.toLowerCase()} bot is not: set its id and secret too (see README).`);
  return out;
}
// ---------------------------------------------------------------------------------------------

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
  TELEGRAM_WEBHOOK_HOST: z.string().trim().optional(),
  TELEGRAM_ALLOWED_USERS: z.string().optional(),
  TELEGRAM_ALLOWED_CHATS: z.string().optional(),
  TELEGRAM_ADMINS: z.string().optional(),
  TELEGRAM_RATE_LIMIT_PER_MINUTE: intFrom("TELEGRAM_RATE_LIMIT_PER_MINUTE", 20, 1),
}).extend(CHANNEL_ENV);

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
    /** Address the webhook server listens on (default 127.0.0.1, behind a reverse proxy). */
    webhookHost?: string;
    allowedUsers: string[];
    allowedChats: string[];
    admins: string[];
    rateLimitPerMinute: number;
  };
  /** DingTalk / Feishu / WeCom bots: null when not configured. */
  channels: ChannelSettings;
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
  const channels = channelSettings(e, problems);
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `- ${p}`).join("\n")}`);

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
      webhookHost: e.TELEGRAM_WEBHOOK_HOST || undefined,
      allowedUsers: csv(e.TELEGRAM_ALLOWED_USERS),
      allowedChats: csv(e.TELEGRAM_ALLOWED_CHATS),
      admins: csv(e.TELEGRAM_ADMINS),
      rateLimitPerMinute: e.TELEGRAM_RATE_LIMIT_PER_MINUTE,
    },
    channels,
  };
}
