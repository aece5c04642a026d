import type { DocumentMeta } from "../ingest/types.js";
import type { SearchFilters } from "./types.js";

/** True when the document passes kind and inclusive date-range filters (undated documents fail a date filter). */
export function matchesFilters(doc: DocumentMeta, f: SearchFilters): boolean {
  if (f.kind && doc.kind !== f.kind) return false;
  if (f.since || f.until) {
    if (!doc.date) return false;
    if (f.since && doc.date < f.since) return false;
    if (f.until && doc.date > f.until) return false;
  }
  return true;
}

export const hasFilters = (f: SearchFilters): boolean => !!(f.kind || f.since || f.until);
