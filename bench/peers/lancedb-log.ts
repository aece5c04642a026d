// Imported before @lancedb/lancedb (ES modules run in import order): LanceDB's Rust core reads
// LANCEDB_LOG when it loads, and logs a deprecation notice at WARN on every FTS and vector query.
// Errors only, unless the caller chose a level.
process.env.LANCEDB_LOG ??= "error";
export {};
