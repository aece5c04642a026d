// Imported before @lancedb/lancedb (ES modules run in import order): LanceDB's Rust core reads
// these variables when it loads. A value the caller set is kept.
import { availableParallelism } from "node:os";

// Lance sizes its CPU pool at (cores - LANCE_IO_CORE_RESERVATION, default 2), at least 1: one thread
// on this 2-core machine, where building a full-text index that writes more than one batch of
// posting lists deadlocks (the producer holds the only pool thread while the file writer waits
// for one; every thread parks, no CPU is used, it never returns: seen here at 10k chunks, and
// reported upstream as lancedb/lancedb#3568). Two pool threads are enough to break the cycle.
process.env.LANCE_CPU_THREADS ??= String(Math.max(2, availableParallelism()));

// The core logs a deprecation notice at WARN on every FTS and vector query: errors only.
process.env.LANCEDB_LOG ??= "error";
