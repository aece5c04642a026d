import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("defaults to the embedded, offline configuration", () => {
    const c = loadConfig({});
    expect(c.corpusDirs).toEqual(["corpus"]);
    expect(c.indexDir).toBe("data");
    expect(c.embeddings.provider).toBe("hashing");
    expect(c.llm).toBeNull();
    expect(c.retrieval.mode).toBe("hybrid");
    expect(c.telegram.token).toBeUndefined();
  });

  it("splits CORPUS_DIRS on colons and allow-lists on commas", () => {
    const c = loadConfig({ CORPUS_DIRS: "corpus:../shared/corpus", TELEGRAM_ALLOWED_USERS: "1, 2,3" });
    expect(c.corpusDirs).toEqual(["corpus", "../shared/corpus"]);
    expect(c.telegram.allowedUsers).toEqual(["1", "2", "3"]);
  });

  it("names the variable and the fix for bad values", () => {
    expect(() => loadConfig({ LLM_PROVIDER: "openai" })).toThrow(/LLM_MODEL/);
    expect(() => loadConfig({ LLM_TIMEOUT_MS: "soon" })).toThrow(/LLM_TIMEOUT_MS must be a whole number/);
    expect(() => loadConfig({ EMBEDDINGS_PROVIDER: "onnx" })).toThrow(/EMBEDDINGS_MODEL_DIR/);
    expect(() => loadConfig({ LLM_BASE_URL: "not a url" })).toThrow(ConfigError);
  });

  it("accepts a complete LLM configuration", () => {
    const c = loadConfig({ LLM_PROVIDER: "openai", LLM_BASE_URL: "http://127.0.0.1:9/v1", LLM_MODEL: "deepseek-chat" });
    expect(c.llm).toMatchObject({ provider: "openai", model: "deepseek-chat", timeoutMs: 30000 });
  });

  it("VECTOR_INDEX chooses the vector index form (auto by default)", () => {
    expect(loadConfig({}).embeddings.vectorIndex).toBe("auto");
    expect(loadConfig({ VECTOR_INDEX: "hnsw" }).embeddings.vectorIndex).toBe("hnsw");
    expect(loadConfig({ VECTOR_INDEX: "flat" }).embeddings.vectorIndex).toBe("flat");
    expect(() => loadConfig({ VECTOR_INDEX: "graph" })).toThrow(/VECTOR_INDEX must be auto, hnsw or flat/);
  });
});

describe("every setting validated, naming the variable and the fix (issue 13, item 10)", () => {
  const fails = (env: Record<string, string>, variable: string, message: RegExp) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err, JSON.stringify(env)).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as ConfigError).message).toMatch(message);
  };

  it("rejects the bad values of the hardening run", () => {
    fails(
      { TIMEZONE: "Mars/Olympus" },
      "TIMEZONE",
      /TIMEZONE must be an IANA time zone such as Asia\/Shanghai.*Mars\/Olympus/,
    );
    fails(
      { EMBEDDINGS_DIMENSIONS: "1000000000" },
      "EMBEDDINGS_DIMENSIONS",
      /EMBEDDINGS_DIMENSIONS must be a whole number from 16 to 65536, got "1000000000"/,
    );
    fails(
      { EMBEDDINGS_BASE_URL: "127.0.0.1:8000/v1" },
      "EMBEDDINGS_BASE_URL",
      /must be a URL starting with http:\/\/ or https:\/\//,
    );
    fails({ EMBEDDINGS_BASE_URL: "localhost:8000" }, "EMBEDDINGS_BASE_URL", /starting with http/);
    fails({ LLM_BASE_URL: "api.deepseek.com/v1" }, "LLM_BASE_URL", /LLM_BASE_URL must be a URL/);
    fails({ TELEGRAM_API_ROOT: "ftp://x" }, "TELEGRAM_API_ROOT", /TELEGRAM_API_ROOT must be a URL/);
    fails(
      { TELEGRAM_WEBHOOK_URL: "http://bot.example.gov.cn/hook", TELEGRAM_WEBHOOK_SECRET: "s" },
      "TELEGRAM_WEBHOOK_URL",
      /starting with https:\/\/.*Telegram only calls https/,
    );
    fails(
      { TELEGRAM_ALLOWED_USERS: "alice" },
      "TELEGRAM_ALLOWED_USERS",
      /"alice" is not a numeric user id or an @username; .*@alice/,
    );
    fails({ TELEGRAM_ADMINS: "1, bob" }, "TELEGRAM_ADMINS", /"bob"/);
    fails({ TELEGRAM_ALLOWED_CHATS: "group-1" }, "TELEGRAM_ALLOWED_CHATS", /"group-1" is not a numeric chat id/);
    fails({ TELEGRAM_WEBHOOK_PORT: "70000" }, "TELEGRAM_WEBHOOK_PORT", /from 1 to 65535/);
    fails({ TELEGRAM_BOT_TOKEN: "not a token" }, "TELEGRAM_BOT_TOKEN", /BotFather/);
    fails({ LOG_LEVEL: "verbose" }, "LOG_LEVEL", /LOG_LEVEL must be one of debug, info, warn, error, silent/);
    fails({ RETRIEVAL_MODE: "semantic" }, "RETRIEVAL_MODE", /RETRIEVAL_MODE must be one of hybrid, keyword, vector/);
    fails({ EMBEDDINGS_PROVIDER: "bert" }, "EMBEDDINGS_PROVIDER", /one of hashing, openai, ollama, onnx/);
    fails({ LLM_PROVIDER: "gpt" }, "LLM_PROVIDER", /one of none, openai, ollama/);
    fails({ RETRIEVAL_MAX_PER_DOC: "0" }, "RETRIEVAL_MAX_PER_DOC", /from 1 to 1000/);
    fails({ LLM_TIMEOUT_MS: "-5" }, "LLM_TIMEOUT_MS", /LLM_TIMEOUT_MS must be a whole number/);
    fails({ CORPUS_DIRS: ":::" }, "CORPUS_DIRS", /colons/);
    fails(
      { LLM_PROVIDER: "openai", LLM_MODEL: "m", LLM_API_KEY: "k", LLM_TEMPERATURE: "hot" },
      "LLM_TEMPERATURE",
      /LLM_TEMPERATURE must be a number from 0 to 2/,
    );
  });

  it("lists every problem at once", () => {
    try {
      loadConfig({ TIMEZONE: "Mars/Olympus", TELEGRAM_ALLOWED_USERS: "alice" });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.variable)).toEqual(["TIMEZONE", "TELEGRAM_ALLOWED_USERS"]);
    }
  });

  it("accepts the forms the README documents", () => {
    const c = loadConfig({
      TIMEZONE: "UTC",
      TELEGRAM_ALLOWED_USERS: "22222222 @some_user",
      TELEGRAM_ALLOWED_CHATS: "-1001234567890",
      TELEGRAM_ADMINS: "11111111",
      TELEGRAM_WEBHOOK_URL: "https://bot.example.gov.cn/tg/hook",
      TELEGRAM_WEBHOOK_SECRET: "abc_DEF-123",
      TELEGRAM_BOT_TOKEN: "123456789:AAbb-cc_dd",
      EMBEDDINGS_BASE_URL: "http://127.0.0.1:11434",
      EMBEDDINGS_DIMENSIONS: "2048",
    });
    expect(c.timezone).toBe("UTC");
    expect(c.telegram.allowedUsers).toEqual(["22222222", "@some_user"]);
  });
});

describe("store and reminder settings (issue 15)", () => {
  it("defaults: SQLite at data/assistant.db, reminders at 09:00, 3 working days ahead", () => {
    const c = loadConfig({});
    expect(c.store).toEqual({ path: "data/assistant.db" });
    expect(c.reminders).toEqual({ remindAt: "09:00", workdays: 3 });
  });

  it("reads STORE_PATH, DATABASE_URL, REMIND_AT, REMIND_WORKDAYS", () => {
    const c = loadConfig({
      STORE_PATH: "/var/lib/pa/a.db",
      DATABASE_URL: "postgres://u:p@127.0.0.1:5432/pa",
      REMIND_AT: "8:30",
      REMIND_WORKDAYS: "5",
    });
    expect(c.store).toEqual({ path: "/var/lib/pa/a.db", databaseUrl: "postgres://u:p@127.0.0.1:5432/pa" });
    expect(c.reminders).toEqual({ remindAt: "08:30", workdays: 5 });
  });

  it("names the variable and the fix for bad values", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a PostgreSQL URL/);
    expect(() => loadConfig({ REMIND_AT: "9am" })).toThrow(/REMIND_AT must be a time of day HH:mm/);
    expect(() => loadConfig({ REMIND_AT: "24:00" })).toThrow(/REMIND_AT/);
    expect(() => loadConfig({ REMIND_WORKDAYS: "-1" })).toThrow(/REMIND_WORKDAYS must be a whole number/);
  });
});
