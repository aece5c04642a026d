/**
 * Abstention: answer only when the retrieved text supports an answer.
 *
 * Evidence gaps (evidence.ts) refuse first. Otherwise the score is the extractive answerer's
 * lexical support of its best sentence (see extractive-answer.ts); for a question with no domain
 * anchor (evidence.ts domainAnchors) it is lowered by the share of the question's term weight the
 * corpus never uses, and an anchored question has its own threshold (abstainOnSupport). The threshold is not picked by eye: evals/calibrate-abstention.ts sweeps
 * it over a calibration set of answerable and unanswerable questions (evals/answer-calibration.jsonl,
 * distinct from the evaluation set) and writes the chosen operating point, with its figures and
 * the date, to abstention-threshold.json, which is read here.
 */
import calibration from "./abstention-threshold.json" with { type: "json" };

export interface AbstentionCalibration {
  /** A question with no domain anchor (evidence.ts domainAnchors): abstain when support − lambda · unknownShare < threshold. */
  threshold: number;
  /** A question with a domain anchor: abstain when support < anchoredThreshold (default: threshold). */
  anchoredThreshold?: number;
  /** Weight of the share of the question's terms the corpus never uses (0 when absent). */
  lambda?: number;
  /** How the operating point was chosen. */
  rule: string;
  calibratedAt: string;
  set: string;
  /** Figures at the operating point on the calibration set (positive class = abstained). */
  figures: Record<string, number>;
}

export const ABSTENTION: AbstentionCalibration = calibration as AbstentionCalibration;

/**
 * Abstain when the confidence, support − lambda · unknownShare, is below the threshold: a question
 * most of whose words the documents never use ("下周会不会下雪") needs more lexical support than
 * one whose words they use.
 */
export function shouldAbstain(
  support: number,
  threshold: number = ABSTENTION.threshold,
  unknownShare = 0,
  lambda: number = ABSTENTION.lambda ?? 0,
): boolean {
  return !(support - lambda * unknownShare >= threshold);
}

export interface SupportEvidence {
  support: number;
  unknownShare: number;
  /** The question names a term characteristic of the corpus (evidence.ts domainAnchors). */
  anchored: boolean;
}

/**
 * The support decision after the evidence gaps: a question about the corpus's subject (anchored) is
 * refused only when its support is below `anchoredThreshold`, since its everyday words are what the
 * thesaurus and the character fallback bridge, not a sign that nothing answers it; any other
 * question when its support does not outweigh its unknown words (shouldAbstain).
 */
export function abstainOnSupport(
  e: SupportEvidence,
  c: Pick<AbstentionCalibration, "threshold" | "lambda" | "anchoredThreshold"> = ABSTENTION,
): boolean {
  if (e.anchored) return !(e.support >= (c.anchoredThreshold ?? c.threshold));
  return shouldAbstain(e.support, c.threshold, e.unknownShare, c.lambda ?? 0);
}

/** What the answer says when the documents hold no support for it. */
export const ABSTAIN_ANSWER = "现有文件中没有找到能回答这个问题的依据（文件未作规定或未提及），无法作答。";
