/** Contract types for `extract` (../shared/CLI-CONTRACT.md, "Extract deadlines and action items"). */

export type TimeKind = "point" | "span" | "before" | "after" | "within" | "recurring";

export interface TimeExpression {
  /** The expression as it appears in the notice. */
  text: string;
  /** YYYY-MM-DD or YYYY-MM-DDTHH:mm; null where the interval is open. */
  start: string | null;
  end: string | null;
  kind: TimeKind;
  /** Extensions: character offset in the (normalised) text, and a recurrence rule for recurring times. */
  index?: number;
  recurrence?: string;
}

export interface Deadline extends TimeExpression {
  /** The action item the deadline bounds. */
  item: string;
  /** Extension: the owner of that action item. */
  owner?: string;
}

export interface ActionItem {
  /** The sentence or point the item was taken from. */
  text: string;
  owner: string;
  action: string;
  deadline: { start: string | null; end: string | null } | null;
}

export interface ExtractResponse {
  ref: string;
  times: TimeExpression[];
  deadlines: Deadline[];
  actions: ActionItem[];
  /** Extensions. */
  title?: string | null;
  warnings?: string[];
}
