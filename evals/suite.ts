/** The shape every evaluation suite module (evals/suites/<name>.ts) exports. */
import type { AppConfig } from "../src/config/config.js";

export interface EvalItem {
  id: string;
  [field: string]: unknown;
}

export interface EvalContext {
  config: AppConfig;
  /** Folder of the set file: `file` fields of items are relative to it. */
  setDir: string;
  /** Progress and diagnostics (stderr); never part of the JSON output. */
  log: (line: string) => void;
}

export interface SuiteResult {
  /** One entry per item: `output` is exactly what the matching command prints with --json. Extra fields are diagnostics. */
  items: {
    id: string;
    output: unknown /** false for an item without gold: run and printed, in no metric. */;
    scored?: boolean;
    [extra: string]: unknown;
  }[];
  metrics: Record<string, unknown>;
}

export interface Suite {
  /** Set used when --set is not given, relative to the project root. */
  defaultSet: string;
  run(items: EvalItem[], ctx: EvalContext): Promise<SuiteResult>;
  /** Human-readable report of the metrics (default: one "name: value" line each). */
  format?(result: SuiteResult): string;
}
