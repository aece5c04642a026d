/**
 * Checks each sentence of a model's answer against the sources it cites, after the citation marks
 * were validated (llm-answer.ts validateAndRepair), and caps the length of any answer shown.
 *
 * A cited sentence is CONTRADICTED by its sources when
 * - numbers: it states a quantity ("20日", "三十天", "5万元") that none of its cited sources
 *   states (in Arabic or Chinese numerals);
 * - duty words: it exempts (无需/无须/不需要/不必/免于) an act that its sources oblige (应当/必须/
 *   须/应) or prohibit (不得/禁止/严禁), permits (可以/允许) one they prohibit, prohibits one they
 *   permit or oblige, or obliges one they exempt or prohibit. The act is a word of the clause after
 *   the claim's modal word; in a source it is governed by the last modal word before it in its
 *   sentence, and only a source that never governs it with the claim's modality contradicts;
 * - negation: it negates (不/未/没有/无/非) a word that its sources state only un-negated
 *   ("没有公告义务" against "应当提前10日向社会公告").
 * - injection: it repeats text of its source that is addressed to the assistant (untrusted-text.ts);
 *   every check uses the source without that text.
 * A contradicted sentence is removed; when nothing substantive is left the answer is rejected and
 * the caller falls back to the extractive answer. Either way the response carries a short notice
 * that every channel shows (NOTICE_*), so the reader knows the model's words were changed.
 */
import type { SearchHit } from "../../retrieval/types.js";
import { quantitiesSupported } from "./llm-answer.js";
import { coverage, queryTerms } from "./query-terms.js";
import { splitSentences } from "./sentences.js";
import { passageParts } from "./untrusted-text.js";

/** Shown with an answer from which contradicted sentences were removed. */
export const NOTICE_REMOVED =
  "注意：模型回答中与所引资料不符的内容（数字、否定或“应当/不得/无需”等用语）已删除，请以引用的原文为准。";
/** Shown with the extractive answer given instead of a model answer that did not pass the checks. */
export const NOTICE_FALLBACK = "注意：模型的回答与所引资料不符或无法核对，以下改为资料原文摘录。";
/** Shown with the extractive answer given because the model was unavailable. */
export const NOTICE_UNAVAILABLE = "注意：语言模型暂不可用，以下为资料原文摘录。";

/** Hard maximum of an answer's length in characters (a few Telegram screens; sources are cited, not pasted). */
export const MAX_ANSWER_CHARS = 2000;

export interface Contradiction {
  sentence: string;
  /** 1-based source numbers the sentence cited. */
  sources: number[];
  reason: "number" | "duty" | "negation" | "injection";
}

export interface VerifiedAnswer {
  /** The answer without contradicted sentences (marks unchanged), or null when nothing is left. */
  answer: string | null;
  removed: Contradiction[];
}

type Modality = "exempt" | "prohibit" | "oblige" | "permit";

/**
 * Modal words, longest first so that 无需 is an exemption and not 需, 不得 a prohibition and not 得.
 * 应 and 可 alone only when not the start of another word (应用, 可能 …).
 */
const MODALS: readonly [RegExp, Modality][] = [
  [/无需|无须|毋须|不需要|不需|不必|不用|免于|免予|不须|无必要/gu, "exempt"],
  [/不得|禁止|严禁|不准|不许|不能|不可以|不应当|不应/gu, "prohibit"],
  [/应当|必须|务必|需要|须|应(?![用急对答聘届收付有])|需(?!求)/gu, "oblige"],
  [/可以|允许|准予|有权|可(?![能靠视行信疑见是惜观爱])/gu, "permit"],
];

interface ModalAt {
  at: number;
  end: number;
  modality: Modality;
}

/** Every modal word of `text` with its position (a longer word claims its span first). */
export function modalsIn(text: string): ModalAt[] {
  const taken: ModalAt[] = [];
  for (const [re, modality] of MODALS) {
    for (const m of text.matchAll(re)) {
      const at = m.index!;
      const end = at + m[0].length;
      if (taken.some((t) => at < t.end && end > t.at)) continue;
      taken.push({ at, end, modality });
    }
  }
  return taken.sort((a, b) => a.at - b.at);
}

const OPPOSITE: Record<Modality, readonly Modality[]> = {
  exempt: ["oblige", "prohibit"],
  permit: ["prohibit"],
  prohibit: ["permit", "oblige"],
  oblige: ["exempt", "prohibit"],
};

const SENTENCE_END = /[。！？!?；;\n]/u;
/** Han bigrams of a clause: the words a modal governs, without a segmenter (a bigram is enough to find them in a source). */
function bigrams(clause: string): string[] {
  const han = clause.replace(/[^\p{Script=Han}]+/gu, " ");
  const out = new Set<string>();
  for (const run of han.split(" ")) for (let i = 0; i + 2 <= run.length; i++) out.add(run.slice(i, i + 2));
  return [...out];
}

/** The modality that governs each occurrence of `word` in `source`: the last modal word before it in its sentence. */
function governing(word: string, source: string): (Modality | null)[] {
  const out: (Modality | null)[] = [];
  for (let i = source.indexOf(word); i >= 0; i = source.indexOf(word, i + 1)) {
    let start = i;
    while (start > 0 && !SENTENCE_END.test(source[start - 1]!)) start--;
    let end = i;
    while (end < source.length && !SENTENCE_END.test(source[end]!)) end++;
    // modal words found in the whole sentence (a cut before `word` could make 可能 look like 可)
    const before = modalsIn(source.slice(start, end)).filter((m) => start + m.end <= i);
    out.push(before.length ? before[before.length - 1]!.modality : null);
  }
  return out;
}

/**
 * The claim says an act is exempt / prohibited / obliged / permitted and the cited sources govern
 * that act (a word of the clause after the claim's modal word) only with an opposite modality.
 */
function dutyContradicts(claim: string, sources: string): boolean {
  const modals = modalsIn(claim);
  for (const [k, m] of modals.entries()) {
    const next = modals[k + 1]?.at ?? claim.length;
    const rest = claim.slice(m.end, next);
    const clause = rest.split(/[，,。；;！？!?]/u)[0]!;
    for (const word of bigrams(clause)) {
      const gov = governing(word, sources).filter((g): g is Modality => g !== null);
      if (gov.length && !gov.includes(m.modality) && gov.every((g) => OPPOSITE[m.modality].includes(g))) return true;
    }
  }
  return false;
}

const NEGATOR = /(?:没有|并非|不是|从未|未曾|不|未|没|无|非)(?![得需须必用要可能应准许])/gu;
const FILLER = /^(?:任何|进行|办理|再|向|予|以|被|对|曾|有|一起)+/u;
const NEGATED_BEFORE = /(?:没有|不是|不|未|没|无|非|免)(?:任何|进行|办理|再|向|予|以|被|对|曾|有|一起)*$/u;

/** The claim negates a word (不/未/没有 + word) that its sources state and never negate. */
function negationContradicts(claim: string, sources: string): boolean {
  for (const m of claim.matchAll(NEGATOR)) {
    const after = claim.slice(m.index! + m[0].length).replace(FILLER, "");
    const word = /^\p{Script=Han}{2}/u.exec(after)?.[0];
    if (!word || !sources.includes(word)) continue;
    let negated = false;
    for (let i = sources.indexOf(word); i >= 0 && !negated; i = sources.indexOf(word, i + 1)) {
      negated = NEGATED_BEFORE.test(sources.slice(Math.max(0, i - 8), i));
    }
    if (!negated) return true;
  }
  return false;
}

/**
 * The claim repeats text of its source that is addressed to the assistant (untrusted-text.ts)
 * rather than what the source says to its readers: it covers the injected text at least half
 * and more than it covers the rest.
 */
function fromInjection(claim: string, clean: string, injected: string): boolean {
  const terms = queryTerms(claim);
  const inj = coverage(terms, injected);
  return inj >= 0.5 && inj > coverage(terms, clean);
}

const MARK = /\[(\d+)\]/g;
const substantive = (s: string) => s.replace(MARK, "").replace(/[^\p{L}\p{N}]/gu, "").length >= 6;

/** Check every cited sentence of `answer` (marks numbered as `sources`, 1-based) against its sources. */
export function verifyClaims(answer: string, sources: readonly SearchHit[]): VerifiedAnswer {
  const kept: string[] = [];
  const removed: Contradiction[] = [];
  for (const sentence of splitSentences(answer)) {
    const cited = [...new Set([...sentence.matchAll(MARK)].map((m) => Number(m[1])))].filter(
      (n) => n >= 1 && n <= sources.length,
    );
    if (!cited.length || !substantive(sentence)) {
      kept.push(sentence);
      continue;
    }
    const claim = sentence.replace(MARK, "");
    const parts = cited.map((n) => {
      const h = sources[n - 1]!;
      const p = passageParts(h.chunk);
      return { clean: [h.chunk.lead ?? "", p.clean].filter(Boolean).join("\n"), injected: p.injected };
    });
    const text = parts.map((p) => p.clean).join("\n");
    const injected = parts.map((p) => p.injected).join("\n");
    const reason: Contradiction["reason"] | null =
      injected.trim() && fromInjection(claim, text, injected)
        ? "injection"
        : !quantitiesSupported(claim, text)
          ? "number"
          : dutyContradicts(claim, text)
            ? "duty"
            : negationContradicts(claim, text)
              ? "negation"
              : null;
    if (reason) removed.push({ sentence, sources: cited, reason });
    else kept.push(sentence);
  }
  const answerLeft = kept.join("");
  return { answer: kept.some(substantive) && /\[\d+\]/.test(answerLeft) ? answerLeft : null, removed };
}

/**
 * At most `max` characters: cut after the last sentence end that fits (else at the cap, never
 * inside a surrogate pair), with a note that the rest is in the cited sources.
 */
export function capAnswer(answer: string, max = MAX_ANSWER_CHARS): string {
  if (answer.length <= max) return answer;
  const note = "……（回答过长，已截断；完整内容请看引用的原文。）";
  const room = Math.max(0, max - note.length);
  const head = answer.slice(0, room);
  const end = Math.max(head.lastIndexOf("。"), head.lastIndexOf("！"), head.lastIndexOf("？"), head.lastIndexOf("\n"));
  let cut = end > room / 2 ? end + 1 : room;
  const code = answer.charCodeAt(cut);
  if (cut === room && code >= 0xdc00 && code <= 0xdfff) cut--;
  return answer.slice(0, cut).trimEnd() + note;
}
