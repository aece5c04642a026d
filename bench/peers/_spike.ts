import "./lancedb-log.js";
import * as lancedb from "@lancedb/lancedb";
import { Field, FixedSizeList, Float32, Schema, Utf8 } from "apache-arrow";
const dims = 8;
const frags = Number(process.argv[2]);
const per = Number(process.argv[3]);
const schema = new Schema([
  new Field("id", new Utf8(), true),
  new Field("tokens", new Utf8(), true),
  new Field("vector", new FixedSizeList(dims, new Field("item", new Float32(), true)), true),
]);
const mk = (f: number) =>
  lancedb.makeArrowTable(
    Array.from({ length: per }, (_, i) => ({
      id: `r${f}-${i}`,
      tokens: `快递 备案 ~快递 x${i} y${i % 97} z${(i * 7) % 1013}`,
      vector: Float32Array.from({ length: dims }, (_, d) => Math.sin(i + d)),
    })),
    { schema },
  );
const dir = `/tmp/lspike-${process.pid}`;
const db = await lancedb.connect(dir);
const tbl = await db.createTable("c", mk(0), { mode: "overwrite" });
for (let f = 1; f < frags; f++) await tbl.add(mk(f));
console.log("rows", await tbl.countRows());
const t = performance.now();
await tbl.createIndex("tokens", {
  config: lancedb.Index.fts({
    baseTokenizer: "whitespace",
    lowercase: false,
    stem: false,
    removeStopWords: false,
    asciiFolding: false,
    withPosition: false,
  }),
});
console.log("fts ms", performance.now() - t);
await import("node:fs/promises").then((f) => f.rm(dir, { recursive: true }));
