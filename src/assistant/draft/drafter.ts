/**
 * Draft a bulletin or a work summary from notes.
 *
 * - Default (no model): parse the notes and fill the house structure with the phrasing templates
 *   in `promptsDir` (compose.ts); run the fidelity check and report violations as warnings.
 * - With a chat model: prompt (prompts/draft.md) with the one or two most similar bulletins as style
 *   examples; fidelity check; on violations regenerate once, then remove the offending sentences;
 *   if that leaves no usable draft, or the model fails (timeout, provider error), fall back to the
 *   template composer with a warning. Never throws for a model failure.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessageLike } from "@langchain/core/messages";
import { invokeChat } from "../../llm/create-chat-model.js";
import { normalizeText } from "../../ingest/normalize.js";
import { AssistantError, InputError } from "../../errors.js";
import { composeBulletin, composeSummary, type Composed } from "./compose.js";
import { checkFidelity, lostFacts, lostWarning, notesFacts, violationWarning, type NotesFacts } from "./fidelity.js";
import { meetingFacts, mustKeep, summaryFacts } from "./facts.js";
import { checkNumbering } from "./ordinals.js";
import { copiedShare } from "./overlap.js";
import { inferForm, parseMeetingNotes, parseSummaryNotes } from "./parse-notes.js";
import { loadTemplates, render, type Templates } from "./templates.js";
import { loadRegister } from "./register.js";
import type { DraftForm, DraftOptions, DraftResponse, FidelityViolation, StyleExample } from "./types.js";

export interface DrafterDeps {
  /** Folder holding draft.md, draft-bulletin.md, draft-summary.md (read at each call, so edits apply at once). */
  promptsDir: string;
  /** null/undefined: the embedded template composer only. */
  chatModel?: BaseChatModel | null;
  /** The one or two bulletins most similar to the notes (style examples for the model). */
  findStyleExamples?: (notes: string) => Promise<StyleExample[]>;
  /** Per-call timeout for the model (default: the model's configured one). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export type Drafter = (notes: string, options?: DraftOptions) => Promise<DraftResponse>;

/** Above this share of copied 8-grams a draft is flagged as copying its style examples. */
const COPY_LIMIT = 0.2;

export function createDrafter(deps: DrafterDeps): Drafter {
  return async (notes, options = {}) => {
    if (!notes.trim())
      throw new InputError("notes", "the notes are empty; give a file with meeting notes (or - for standard input).");
    const form: DraftForm = options.form ?? inferForm(notes);
    const { composed, sheet } = await composeFromTemplates(deps.promptsDir, notes, form);
    const facts = notesFacts(notes);
    if (deps.chatModel) {
      const viaLlm = await draftWithModel(
        deps,
        deps.chatModel,
        notes,
        form,
        facts,
        sheet,
        options.signal,
        composed.warnings,
      );
      if (viaLlm.ok) return viaLlm.response;
      return finish(composed, facts, form, "template", viaLlm.warnings);
    }
    return finish(composed, facts, form, "template", []);
  };
}

/** Parse once: the template draft, and the same facts written out for a model. */
async function composeFromTemplates(
  promptsDir: string,
  notes: string,
  form: DraftForm,
): Promise<{ composed: Composed; sheet: string }> {
  const file = `draft-${form}`;
  const t = await loadTemplates(promptsDir, file);
  const register = loadRegister(promptsDir);
  if (form === "summary") {
    const n = parseSummaryNotes(notes);
    return { composed: composeSummary(n, t, `${promptsDir}/${file}.md`, register), sheet: summaryFacts(n) };
  }
  const n = parseMeetingNotes(notes);
  return { composed: composeBulletin(n, t, `${promptsDir}/${file}.md`, register), sheet: meetingFacts(n) };
}

function finish(
  c: Composed,
  facts: NotesFacts,
  form: DraftForm,
  via: "template" | "llm",
  extra: string[],
): DraftResponse {
  const text = c.paragraphs.join("\n\n");
  const violations = checkFidelity(`${c.title}\n${text}`, facts);
  const numbering = checkNumbering(text);
  const warnings = [
    ...extra,
    ...c.warnings,
    ...violations.map(violationWarning),
    ...lostFacts(`${c.title}\n${text}`, facts.raw).map(lostWarning),
    ...numbering.problems.map((p) => `序号不一致：${p}`),
  ];
  return { title: c.title, text, warnings, form, via, violations };
}

/** Model reply → title + paragraphs (first non-empty line is the title; Markdown marks dropped). */
export function parseReply(reply: string): Composed {
  // normalised like the notes: simplified characters (the house style), no pinyin, folded width
  const lines = normalizeText(reply)
    .replace(/```[a-z]*\n?/g, "")
    .split(/\r?\n/)
    .map((l) =>
      l
        .replace(/^#+\s*/, "")
        .replace(/\*\*/g, "")
        .replace(/^(?:标题|正文)[:：]\s*/, "")
        .trim(),
    );
  const nonEmpty = lines.filter(Boolean);
  return { title: nonEmpty[0] ?? "", paragraphs: nonEmpty.slice(1), warnings: [] };
}

/** Drop every sentence that holds a violation; drop paragraphs left empty. */
export function removeSentences(paragraphs: string[], violations: FidelityViolation[]): string[] {
  const bad = new Set(violations.map((v) => v.sentence));
  return paragraphs
    .map((p) =>
      (p.match(/[^。！？]+[。！？]?[”」）)]?/g) ?? [])
        .filter((s) => ![...bad].some((b) => b && (s.includes(b) || b.includes(s.trim()))))
        .join(""),
    )
    .filter((p) => p.trim());
}

async function draftWithModel(
  deps: DrafterDeps,
  model: BaseChatModel,
  notes: string,
  form: DraftForm,
  facts: NotesFacts,
  /** The parsed notes as labelled lines (facts.ts): what the model writes from. */
  sheet: string,
  signal: AbortSignal | undefined,
  /** What the notes lack (the composer's warnings): told to the model, and reported with its draft. */
  missing: string[],
): Promise<{ ok: true; response: DraftResponse } | { ok: false; warnings: string[] }> {
  const warnings: string[] = [];
  let examples: StyleExample[] = [];
  if (deps.findStyleExamples) {
    try {
      examples = (await deps.findStyleExamples(notes)).slice(0, 2);
    } catch (err) {
      warnings.push(`未能检索参考通稿（${(err as Error).message}），未给模型提供范文。`);
    }
  } else warnings.push("未接入检索，未给模型提供参考范文。");
  let prompt: Templates;
  try {
    prompt = await loadTemplates(deps.promptsDir, "draft", { keepNewlines: true });
  } catch (err) {
    if (err instanceof AssistantError) return { ok: false, warnings: [...warnings, `${err.message}；改用模板起草。`] };
    throw err;
  }
  if (!prompt.get("system") || !prompt.get("user")) {
    return {
      ok: false,
      warnings: [...warnings, `${deps.promptsDir}/draft.md 缺少“## system”或“## user”一节，改用模板起草。`],
    };
  }
  const formName = form === "summary" ? "工作总结" : "会议通稿";
  const vars = {
    formName,
    structure: prompt.get(`structure-${form}`) ?? "",
    examples: examples.length ? examples.map((e, i) => `【范文${i + 1}】${e.title}\n${e.text}`).join("\n\n") : "（无）",
    notes: facts.text,
    facts: sheet,
    keep: mustKeep(notes),
    missing: missing
      .map((w) => w.match(/未找到(.+?)（/)?.[1])
      .filter(Boolean)
      .join("、"),
  };
  const messages: BaseMessageLike[] = [
    ["system", render(prompt.get("system") ?? "", vars)],
    ["human", render(prompt.get("user") ?? "", vars)],
  ];
  const call = async (msgs: BaseMessageLike[]) =>
    invokeChat(model, msgs, { signal, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  try {
    let reply = await call(messages);
    let draft = parseReply(reply);
    if (!draft.title || draft.paragraphs.length < 2)
      return { ok: false, warnings: [...warnings, "模型答复不成文（缺标题或正文），改用模板起草。"] };
    const full = () => `${draft.title}\n${draft.paragraphs.join("\n")}`;
    let violations = checkFidelity(full(), facts);
    let lost = lostFacts(full(), notes);
    if (violations.length || lost.length) {
      // both directions decide: regenerate once with what was invented and what was left out
      const list = violations.map((v) => `- ${v.text}（${v.sentence}）`).join("\n");
      if (violations.length)
        warnings.push(
          `模型初稿有${violations.length}处笔记中没有的内容（${violations.map((v) => v.text).join("、")}），已要求重写。`,
        );
      if (lost.length) warnings.push(`模型初稿漏写了笔记中的${lost.map((f) => f.text).join("、")}，已要求重写。`);
      reply = await call([
        ...messages,
        ["ai", reply],
        [
          "human",
          render(prompt.get("retry") ?? "{{violations}}", {
            violations: list || "（无）",
            lost: lost.map((f) => `- ${f.text}（笔记：${f.sentence}）`).join("\n") || "（无）",
          }),
        ],
      ]);
      draft = parseReply(reply);
      violations = checkFidelity(full(), facts);
      if (violations.length) {
        if (violations.some((v) => draft.title.includes(v.text))) {
          return { ok: false, warnings: [...warnings, "重写稿的标题仍有笔记中没有的内容，改用模板起草。"] };
        }
        const before = draft.paragraphs.length;
        draft = { ...draft, paragraphs: removeSentences(draft.paragraphs, violations) };
        warnings.push(`重写稿仍有笔记中没有的内容（${violations.map((v) => v.text).join("、")}），已删去所在句子。`);
        const left = checkFidelity(full(), facts);
        if (left.length || draft.paragraphs.length < Math.max(2, Math.ceil(before / 2))) {
          return { ok: false, warnings: [...warnings, "删去后草稿不完整，改用模板起草。"] };
        }
      }
      lost = lostFacts(full(), notes);
      if (lost.length)
        return {
          ok: false,
          warnings: [...warnings, `重写稿仍漏写笔记中的${lost.map((f) => f.text).join("、")}，改用模板起草。`],
        };
    }
    if (!draft.title || draft.paragraphs.length < 2)
      return { ok: false, warnings: [...warnings, "模型答复不成文（缺标题或正文），改用模板起草。"] };
    const text = draft.paragraphs.join("\n\n");
    for (const e of examples) {
      const share = copiedShare(text, e.text, notes);
      if (share > COPY_LIMIT)
        warnings.push(`草稿有${Math.round(share * 100)}%的文字与参考范文“${e.title}”雷同，请改写。`);
    }
    const numbering = checkNumbering(text);
    return {
      ok: true,
      response: {
        title: draft.title,
        text,
        warnings: [...warnings, ...missing, ...numbering.problems.map((p) => `序号不一致：${p}`)],
        form,
        via: "llm",
        violations: [],
      },
    };
  } catch (err) {
    if (err instanceof AssistantError) {
      deps.log?.(`draft: language model failed (${err.message}); using the templates`);
      return { ok: false, warnings: [...warnings, `语言模型调用失败（${err.message}），改用模板起草。`] };
    }
    throw err;
  }
}
