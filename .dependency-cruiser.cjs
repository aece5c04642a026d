/**
 * The layer check (`npm run lint`): no module of src/ imports from a layer above its own.
 *
 * Layers, bottom to top; a module may import from its own layer and from any layer below it. Layers
 * on one rank are siblings and never import each other: the ingest pipeline writes the index, the
 * retrieval layer reads it, and neither needs the other.
 */
const LAYERS = [
  // errors a user can act on, the entry-point check, the Chinese-numeral parser
  { name: "base", rank: 0, path: "^src/(errors\\.ts$|is-main-module(\\.test)?\\.ts$|text/)" },
  // reading documents: decode, loaders, clean, normalise, metadata, chunk; the document types
  { name: "ingest", rank: 1, path: "^src/ingest/(?!pipeline/)" },
  // the index structures: tokenizer, BM25, embeddings, vector index, segments, generations
  { name: "index", rank: 2, path: "^src/index/" },
  // the ingest pipeline: corpus folders -> a new index generation
  { name: "ingest-pipeline", rank: 3, path: "^src/ingest/pipeline/" },
  // searching the index
  { name: "retrieval", rank: 3, path: "^src/retrieval/" },
  { name: "llm", rank: 4, path: "^src/llm/" },
  { name: "store", rank: 5, path: "^src/store/" },
  // the capabilities (answer, extract, draft, tasks) and the Assistant interface channels see
  { name: "assistant", rank: 6, path: "^src/assistant/" },
  // reads the environment once; each lower layer declares the settings type it takes
  { name: "config", rank: 7, path: "^src/config/" },
  { name: "channels", rank: 8, path: "^src/channels/(?!cli/main\\.ts$)" },
  // the composition root and the entry points that call it
  { name: "entry", rank: 9, path: "^src/(app|main)\\.ts$|^src/channels/cli/main\\.ts$" },
];

const above = (from) => LAYERS.filter((to) => to.rank > from.rank || (to.rank === from.rank && to.name !== from.name));

const forbidden = LAYERS.filter((from) => above(from).length > 0).map((from) => ({
  name: `layer-${from.name}`,
  comment: `${from.name} (rank ${from.rank}) imports only from its own layer and the layers below it`,
  severity: "error",
  from: { path: from.path },
  to: { path: above(from).map((to) => to.path) },
}));

forbidden.push({
  name: "layer-unassigned",
  comment: "every module of src/ belongs to a layer: add a new folder to LAYERS in .dependency-cruiser.cjs",
  severity: "error",
  from: { path: "^src/", pathNot: LAYERS.map((l) => l.path) },
  to: {},
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    // type-only imports count: a type is part of the layer it describes
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "\\.(json|tsv)$" },
  },
};
