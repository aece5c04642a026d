/** Contract types for `draft` (../shared/CLI-CONTRACT.md, "Draft"). */

export type DraftForm = "bulletin" | "summary";

export interface DraftResponse {
  title: string;
  text: string;
  warnings: string[];
  /** Extensions. */
  form?: DraftForm;
  via?: "template" | "llm";
}
