/**
 * A scripted Assistant for channel tests (Telegram bot, terminal chat): every call is recorded,
 * each method has a deterministic default and can be replaced per test.
 */
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { Assistant, ExtractInput, IngestReport } from "../../src/assistant/assistant.js";
import type { AskResponse, Turn } from "../../src/assistant/ask/types.js";
import type { ExtractResponse } from "../../src/assistant/extract/types.js";
import type { DraftResponse } from "../../src/assistant/draft/types.js";
import type { SearchOptions, SearchResponse } from "../../src/retrieval/types.js";
import type { ParsedDocument } from "../../src/ingest/types.js";

export interface FakeAssistantCalls {
  ask: { question: string; history: Turn[] }[];
  search: { query: string; options: SearchOptions }[];
  extract: ExtractInput[];
  draft: { notes: string; form?: string }[];
  ingest: number;
  loadDocument: string[];
}

export type FakeAssistant = Assistant & { calls: FakeAssistantCalls };

export function defaultAnswer(question: string): AskResponse {
  return {
    question,
    answer: `根据《快递暂行条例》，经营快递业务应当依法取得快递业务经营许可[1]。`,
    abstained: false,
    citations: [
      {
        n: 1,
        docId: "regulations/快递暂行条例",
        title: "快递暂行条例",
        date: "2018-03-02",
        section: "第十七条",
        path: "../shared/corpus/regulations/快递暂行条例.md",
        quote: "经营快递业务，应当依法取得快递业务经营许可。",
      },
    ],
  };
}

export function defaultExtract(text: string): ExtractResponse {
  const found = /(\d{4})年(\d{1,2})月(\d{1,2})日前/.exec(text);
  const end = found ? `${found[1]}-${found[2]!.padStart(2, "0")}-${found[3]!.padStart(2, "0")}` : null;
  return {
    ref: "2024-11-01",
    times: found ? [{ text: found[0], start: null, end, kind: "before" }] : [],
    deadlines: found ? [{ text: found[0], start: null, end, kind: "before", item: "报送安全检查情况" }] : [],
    actions: found
      ? [
          {
            text: "各省局报送安全检查情况",
            owner: "各省局",
            action: "报送安全检查情况",
            deadline: { start: null, end },
          },
        ]
      : [],
  };
}

export function createFakeAssistant(overrides: Partial<Assistant> = {}): FakeAssistant {
  const calls: FakeAssistantCalls = { ask: [], search: [], extract: [], draft: [], ingest: 0, loadDocument: [] };
  const base: Assistant = {
    async ask(question, options) {
      calls.ask.push({ question, history: options?.history ?? [] });
      return defaultAnswer(question);
    },
    async search(query, options = {}) {
      calls.search.push({ query, options });
      const res: SearchResponse = {
        query,
        results: [
          {
            docId: "regulations/快递暂行条例",
            title: "快递暂行条例",
            date: "2018-03-02",
            kind: "regulation",
            path: "../shared/corpus/regulations/快递暂行条例.md",
            section: "第十七条",
            text: "经营快递业务，应当依法取得快递业务经营许可。",
            score: 1.5,
            chunkId: "regulations/快递暂行条例#17",
            chapter: null,
            lead: null,
          },
        ],
      };
      return res;
    },
    async extract(input) {
      calls.extract.push(input);
      if (input.path !== undefined) {
        const text = await readFile(input.path, "utf8");
        return { ...defaultExtract(text), title: text.split("\n")[0]!.trim() };
      }
      return defaultExtract(input.text ?? "");
    },
    async draft(notes, options) {
      calls.draft.push({ notes, form: options?.form });
      const res: DraftResponse = {
        title: "关于做好安全检查工作的通知",
        text: `各省局：\n${notes}\n特此通知。`,
        warnings: ["请核对发文日期"],
      };
      return res;
    },
    async ingest() {
      calls.ingest++;
      const report: IngestReport = {
        added: ["corpus/x.txt"],
        updated: [],
        unchanged: [],
        removed: [],
        failed: [],
        chunks: 42,
        written: true,
      };
      return report;
    },
    async loadDocument(path) {
      calls.loadDocument.push(path);
      const text = await readFile(path, "utf8");
      const doc: ParsedDocument = {
        meta: {
          id: basename(path, extname(path)),
          title: text.split("\n")[0]!.trim(),
          date: null,
          kind: "notice",
          path,
        },
        original: text,
        text,
      };
      return doc;
    },
    async toIcs(extracted, options) {
      return [
        "BEGIN:VCALENDAR",
        ...extracted.deadlines.map(
          (d) =>
            `BEGIN:VEVENT\nSUMMARY:${d.item} (${options.source})\nDTSTART;VALUE=DATE:${(d.end ?? "").replace(/-/g, "")}\nEND:VEVENT`,
        ),
        "END:VCALENDAR",
      ].join("\n");
    },
  };
  return Object.assign(base, overrides, { calls });
}
