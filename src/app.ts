/**
 * The composition root: the only place that turns the configuration into implementations.
 * Channels (CLI, Telegram, terminal chat) and the eval runner get an `Assistant` from here.
 * Components are created lazily and once, so that, e.g., `extract` never opens the index.
 */
import type { AppConfig } from "./config/config.js";
import type { Assistant } from "./assistant/assistant.js";
import type { TaskComponents } from "./assistant/tasks/task-service.js";
import { AssistantError } from "./errors.js";
import type { SearchHit, SearchOptions } from "./retrieval/types.js";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface AppDeps {
  /** Clock, injected for deterministic tests (extract's default ref is "today"). */
  now?: () => Date;
  /** Where progress lines and warnings go (ingest, LLM fallbacks). Default: stderr. */
  log?: (line: string) => void;
}

/** Memoise an async factory: the component is built on first use, once. */
export function lazy<T>(factory: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () =>
    (p ??= factory().catch((err: unknown) => {
      p = undefined;
      throw err;
    }));
}

export function createAssistant(config: AppConfig, deps: AppDeps = {}): Assistant {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  // prompts/ beside src/ (tsx), or two levels up from dist/src/ (the built JavaScript, bin/launch.mjs)
  const promptsDir =
    [new URL("../prompts/", import.meta.url), new URL("../../prompts/", import.meta.url)]
      .map((u) => fileURLToPath(u))
      .find((d) => existsSync(d)) ?? fileURLToPath(new URL("../prompts/", import.meta.url));

  // --- ingest & loaders (src/ingest) ---
  const loadDocument: Assistant["loadDocument"] = async (path) =>
    (await import("./ingest/load-document.js")).loadDocument(path);

  // --- index & retrieval (src/index, src/retrieval) ---
  // One embedder and one in-memory index per assistant, loaded on the first search and reloaded
  // when an ingest (this process's or another's) switches the index to a new generation.
  const embeddings = lazy(async () =>
    (await import("./index/embeddings/create-embeddings.js")).createEmbeddings(config.embeddings, {
      timeoutMs: config.embeddings.timeoutMs,
      maxRetries: config.embeddings.maxRetries,
    }),
  );
  const searchEngine = lazy(async () => {
    const { openLiveSearchEngine } = await import("./retrieval/search-engine.js");
    return openLiveSearchEngine({
      indexDir: config.indexDir,
      embeddings: await embeddings(),
      maxPerDoc: config.retrieval.maxPerDoc,
      defaultMode: config.retrieval.mode,
      log,
    });
  });
  /** SearchHit[] for a query (ask, bot and bench use this; `search` maps it to the contract's JSON). */
  const retrieve = async (query: string, options: SearchOptions = {}): Promise<SearchHit[]> =>
    (await searchEngine()).search(query, options);
  const ingest: Assistant["ingest"] = async (options = {}) => {
    const { ingestCorpus } = await import("./ingest/pipeline/ingest-corpus.js");
    const progress = options.onProgress;
    const ingestLog = progress
      ? (line: string) => {
          log(line);
          progress(line);
        }
      : log;
    return ingestCorpus({
      corpusDirs: options.corpusDirs ?? config.corpusDirs,
      indexDir: config.indexDir,
      embeddings: await embeddings(),
      rebuild: options.rebuild,
      vectorIndex: config.embeddings.vectorIndex,
      log: ingestLog,
    });
  };
  const documents: NonNullable<Assistant["documents"]> = async () => {
    const { index } = await (await searchEngine()).current();
    const counts = new Map<string, number>();
    for (const c of index.chunks) counts.set(c.docId, (counts.get(c.docId) ?? 0) + 1);
    return index.docs.map((d) => ({ ...d, chunks: counts.get(d.id) ?? 0 }));
  };
  const search: Assistant["search"] = async (query, options = {}) => {
    const { toSearchResponse } = await import("./retrieval/search-engine.js");
    return toSearchResponse(query, await retrieve(query, options));
  };

  // --- ask: answers with citations (src/assistant/ask, src/llm) ---
  // Loaded on first use: LangChain and the answerer stay out of commands that do not ask.
  const asker = lazy(async () => {
    const [{ createAsker }, { createChatModel }] = await Promise.all([
      import("./assistant/ask/create-asker.js"),
      import("./llm/create-chat-model.js"),
    ]);
    return createAsker({
      retrieve,
      keywordIndex: async () => (await (await searchEngine()).current()).index,
      model: createChatModel(config.llm),
      promptsDir,
      log,
    });
  });
  const ask: Assistant["ask"] = async (question, options) => (await asker()).ask(question, options);

  // --- extract (src/assistant/extract) ---
  const extract: Assistant["extract"] = async (input) => {
    const { extractFromText } = await import("./assistant/extract/extract.js");
    const { dateInZone } = await import("./assistant/extract/timex/calendar.js");
    const today = dateInZone(now(), config.timezone);
    if (input.path !== undefined) {
      const doc = await loadDocument(input.path);
      return extractFromText(doc.text, {
        today,
        metaDate: doc.meta.date,
        ...(input.ref !== undefined ? { ref: input.ref } : {}),
      });
    }
    if (input.text === undefined) throw new AssistantError("extract needs the notice's text or a path to it.");
    return extractFromText(input.text, { today, ...(input.ref !== undefined ? { ref: input.ref } : {}) });
  };

  // --- draft (src/assistant/draft) ---
  // Style examples for the model: the two bulletins whose passages best match the notes, read whole.
  const findStyleExamples = async (notes: string) => {
    const hits = await retrieve(notes.replace(/\s+/g, " ").slice(0, 300), { kind: "bulletin", k: 10 });
    const docs = [...new Map(hits.map((h) => [h.doc.id, h])).values()].slice(0, 2);
    return Promise.all(
      docs.map(async (h) => ({
        title: h.doc.title,
        text: await loadDocument(h.doc.path).then(
          (d) => d.text,
          () => h.chunk.text,
        ),
      })),
    );
  };
  const drafter = lazy(async () => {
    const [{ createDrafter }, { createChatModel }] = await Promise.all([
      import("./assistant/draft/drafter.js"),
      import("./llm/create-chat-model.js"),
    ]);
    const chatModel = createChatModel(config.llm);
    return createDrafter({
      promptsDir,
      chatModel,
      // retrieval is only needed (and the index only opened) when a model will use the examples
      findStyleExamples: chatModel ? findStyleExamples : undefined,
      log,
    });
  });
  const draft: Assistant["draft"] = async (notes, options) => (await drafter())(notes, options);

  // --- calendar export of extracted deadlines (src/assistant/extract/ics.ts), used by the chat channels ---
  const toIcs: NonNullable<Assistant["toIcs"]> = async (extracted, options) =>
    (await import("./assistant/extract/ics.js")).toIcs(extracted, { source: options.source, now: now() });

  return { search, ask, extract, draft, ingest, documents, loadDocument, toIcs };
}

// --- store and 督办 tasks (src/store, src/assistant/tasks) ---

/** Open the store the config names (PostgreSQL at DATABASE_URL, else SQLite at STORE_PATH) and the task service over it. */
export async function openTasks(config: AppConfig, deps: AppDeps = {}): Promise<TaskComponents> {
  const [{ openStore }, { createTaskService }] = await Promise.all([
    import("./store/open-store.js"),
    import("./assistant/tasks/task-service.js"),
  ]);
  const store = await openStore(config.store);
  const tasks = createTaskService({
    store,
    workdays: config.reminders.workdays,
    timezone: config.timezone,
    now: deps.now ?? (() => new Date()),
  });
  return { store, tasks, close: () => store.close() };
}

/**
 * What a chat channel gets from the store: persistent memory (turns, kept files, audit log), the
 * 督办 commands and actions, and the refusal record. `channel` prefixes chat ids ("telegram").
 */
export async function chatExtensions(config: AppConfig, parts: TaskComponents, channel: string, deps: AppDeps = {}) {
  const [{ storeChatMemory }, { createTaskChat }, { dirname, join }] = await Promise.all([
    import("./channels/chat-core/chat-memory.js"),
    import("./channels/chat-core/task-commands.js"),
    import("node:path"),
  ]);
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  // Kept files live beside the SQLite file (or under the index dir when the store is PostgreSQL).
  const pendingDir = join(config.store.databaseUrl ? config.indexDir : dirname(config.store.path), "pending-files");
  const memory = storeChatMemory({ store: parts.store, historyTurns: 6, maxPending: 20, pendingDir, now, log });
  const taskChat = createTaskChat({ tasks: parts.tasks, channel, now, store: parts.store });
  return {
    chat: {
      memory,
      commands: taskChat.commands,
      actions: taskChat.actions,
      onExtract: taskChat.onExtract,
      extractActions: taskChat.extractActions,
    },
    refusals: parts.store,
  };
}

/** The reminder scheduler of a bot process (REMIND_AT in TIMEZONE), delivering through `notifier`. */
export async function createReminders(
  config: AppConfig,
  parts: TaskComponents,
  notifier: import("./assistant/tasks/notifier.js").Notifier,
  deps: AppDeps = {},
) {
  const { createReminderScheduler } = await import("./assistant/tasks/scheduler.js");
  return createReminderScheduler({
    store: parts.store,
    tasks: parts.tasks,
    notifier,
    remindAt: config.reminders.remindAt,
    timezone: config.timezone,
    now: deps.now ?? (() => new Date()),
    log: deps.log,
  });
}
