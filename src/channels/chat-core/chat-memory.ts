/**
 * What the chat core remembers between messages: conversation turns (context for follow-ups, the
 * last answer for /sources), files offered for "add to corpus", and the audit log. In memory
 * (ChatSessions, a Map: lost on restart) when no store is configured, else in the store (SQLite or
 * PostgreSQL: kept across restarts and shared by the processes of one deployment).
 */
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { extname, join } from "node:path";
import type { AskResponse, Turn } from "../../assistant/ask/types.js";
import { turnFrom } from "../../assistant/ask/turn.js";
import type { AuditEntry, Store } from "../../store/types.js";
import { ChatSessions } from "./sessions.js";

/** A file kept for the "add to corpus" button. */
export interface KeptFile {
  path: string;
  filename: string;
  dispose?: () => Promise<void>;
}

export interface ChatMemory {
  history(chatId: string): Promise<Turn[]>;
  lastAnswer(chatId: string): Promise<AskResponse | null>;
  record(chatId: string, res: AskResponse): Promise<void>;
  reset(chatId: string): Promise<void>;
  /** Keep a file under a new id; files beyond the limit are released. */
  keepFile(id: string, file: KeptFile, owner: { chatId: string; userId: string }): Promise<void>;
  /** Hand a kept file out once (null when expired or taken); the caller disposes of it. */
  takeFile(id: string): Promise<KeptFile | null>;
  audit(entry: Omit<AuditEntry, "at">): Promise<void>;
  close(): Promise<void>;
}

export function memoryChatMemory(options: {
  historyTurns: number;
  maxPending: number;
  log: (line: string) => void;
}): ChatMemory {
  const sessions = new ChatSessions(options.historyTurns);
  const pending = new Map<string, KeptFile>();
  const dispose = (f: KeptFile) =>
    f.dispose?.().catch((err: unknown) => options.log(`could not remove a temporary file: ${String(err)}`));
  return {
    history: async (chatId) => sessions.get(chatId).history.slice(),
    lastAnswer: async (chatId) => sessions.get(chatId).lastAnswer,
    record: async (chatId, res) => sessions.record(chatId, res),
    reset: async (chatId) => sessions.reset(chatId),
    async keepFile(id, file) {
      pending.set(id, file);
      while (pending.size > options.maxPending) {
        const [oldId, old] = pending.entries().next().value as [string, KeptFile];
        pending.delete(oldId);
        await dispose(old);
      }
    },
    async takeFile(id) {
      const f = pending.get(id) ?? null;
      pending.delete(id);
      return f;
    },
    audit: async () => {},
    async close() {
      const all = [...pending.values()];
      pending.clear();
      await Promise.all(all.map(dispose));
    },
  };
}

export function storeChatMemory(options: {
  store: Store;
  historyTurns: number;
  maxPending: number;
  /** Where kept files are copied so that they outlive the download's temp file and a restart. */
  pendingDir: string;
  now: () => Date;
  log: (line: string) => void;
}): ChatMemory {
  const { store } = options;
  const at = () => options.now().toISOString();
  const remove = (path: string) =>
    rm(path, { force: true }).catch((err: unknown) => options.log(`could not remove ${path}: ${String(err)}`));
  return {
    history: async (chatId) => (await store.recentTurns(chatId, options.historyTurns)).map((t) => t.turn as Turn),
    async lastAnswer(chatId) {
      const [last] = await store.recentTurns(chatId, 1);
      return (last?.answer as AskResponse | undefined) ?? null;
    },
    async record(chatId, res) {
      // Passage texts stay out of the stored answer (bounded rows); /sources shows the quotes.
      const answer = { ...res, citations: res.citations.map(({ chunkText: _drop, ...c }) => c) };
      await store.appendTurn({ chatId, at: at(), turn: turnFrom(res), answer }, options.historyTurns);
    },
    reset: (chatId) => store.clearTurns(chatId),
    async keepFile(id, file, owner) {
      await mkdir(options.pendingDir, { recursive: true });
      const path = join(options.pendingDir, `${id}-${randomBytes(3).toString("hex")}${extname(file.filename)}`);
      await copyFile(file.path, path);
      await file.dispose?.().catch(() => {});
      const evicted = await store.putPendingFile(
        { id, chatId: owner.chatId, userId: owner.userId, path, filename: file.filename, createdAt: at() },
        options.maxPending,
      );
      await Promise.all(evicted.map((e) => remove(e.path)));
    },
    async takeFile(id) {
      const f = await store.takePendingFile(id);
      return f ? { path: f.path, filename: f.filename, dispose: () => remove(f.path) } : null;
    },
    async audit(entry) {
      // The audit log must never cost the user their answer.
      await store
        .audit({ ...entry, at: at() })
        .catch((err: unknown) => options.log(`could not write the audit log: ${String(err)}`));
    },
    close: async () => {},
  };
}
