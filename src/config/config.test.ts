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

describe("store and reminder settings (issue 15)", () => {
  it("defaults: SQLite at data/assistant.db, reminders at 09:00, 3 working days ahead", () => {
    const c = loadConfig({});
    expect(c.store).toEqual({ path: "data/assistant.db" });
    expect(c.reminders).toEqual({ remindAt: "09:00", workdays: 3 });
  });

  it("reads STORE_PATH, DATABASE_URL, REMIND_AT, REMIND_WORKDAYS", () => {
    const c = loadConfig({ STORE_PATH: "/var/lib/pa/a.db", DATABASE_URL: "postgres://u:p@127.0.0.1:5432/pa", REMIND_AT: "8:30", REMIND_WORKDAYS: "5" });
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
