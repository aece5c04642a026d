/**
 * The composition root: the only place that turns the configuration into implementations.
 * Channels (CLI, Telegram, terminal chat) and the eval runner get an `Assistant` from here.
 * Components are created lazily so that, e.g., `extract` never opens the index.
 */
import type { AppConfig } from "./config/config.js";
import type { Assistant } from "./assistant/assistant.js";
import { AssistantError } from "./errors.js";

export interface AppDeps {
  /** Clock, injected for deterministic tests (extract's default ref is "today"). */
  now?: () => Date;
  /** Where progress lines go (ingest). */
  log?: (line: string) => void;
}

export function createAssistant(config: AppConfig, deps: AppDeps = {}): Assistant {
  void config;
  void deps;
  const notYet = (what: string) => async (): Promise<never> => {
    throw new AssistantError(`${what} is not wired into src/app.ts yet.`);
  };
  return {
    search: notYet("search"),
    ask: notYet("ask"),
    extract: notYet("extract"),
    draft: notYet("draft"),
    ingest: notYet("ingest"),
    loadDocument: notYet("loadDocument"),
  };
}
