import { describe, expect, it } from "vitest";
import { ProviderError } from "../../errors.js";
import { checkVectors, endpointError, type EndpointInfo } from "./endpoint-error.js";

const info: EndpointInfo = {
  provider: "openai embeddings (m)",
  url: "http://127.0.0.1:8000/v1",
  model: "m",
  timeoutMs: 500,
};

describe("endpointError", () => {
  it("classifies a refused connection in the cause chain", () => {
    const err = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" }),
    });
    const e = endpointError(info, err);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.message).toBe(
      "openai embeddings (m): could not reach the embeddings endpoint at http://127.0.0.1:8000/v1 (ECONNREFUSED); is it running? Start it or fix EMBEDDINGS_BASE_URL, or set EMBEDDINGS_PROVIDER=hashing to use the built-in embedder.",
    );
    expect(e.cause).toBe(err);
  });

  it("classifies HTTP statuses with a hint each", () => {
    const withStatus = (status: number) => Object.assign(new Error(`${status} boom`), { status });
    expect(endpointError(info, withStatus(401)).message).toMatch(/HTTP 401.*EMBEDDINGS_API_KEY/);
    expect(endpointError(info, withStatus(404)).message).toMatch(/HTTP 404.*EMBEDDINGS_MODEL \("m"\)/);
    expect(endpointError(info, withStatus(503)).message).toMatch(/HTTP 503.*check its logs/);
    // ollama's ResponseError carries status_code
    expect(endpointError(info, Object.assign(new Error("model not found"), { status_code: 404 })).message).toMatch(
      /HTTP 404/,
    );
  });

  it("classifies timeouts", () => {
    const t = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(endpointError(info, t).message).toMatch(/did not answer within 500 ms/);
  });

  it("passes a ProviderError through and wraps anything else", () => {
    const p = new ProviderError("x", "y");
    expect(endpointError(info, p)).toBe(p);
    expect(endpointError(info, new Error("weird")).message).toMatch(/embedding with "m" at .* failed: weird/);
  });
});

describe("checkVectors", () => {
  it("accepts one finite vector per input and converts typed arrays", () => {
    expect(checkVectors(info, 2, [[1, 2], new Float32Array([3, 4])])).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
  it("rejects wrong counts, ragged, empty and non-finite vectors", () => {
    expect(() => checkVectors(info, 2, [[1]])).toThrow(/1 vectors for 2 texts/);
    expect(() => checkVectors(info, 2, [[1], [1, 2]])).toThrow(/different lengths/);
    expect(() => checkVectors(info, 1, [[]])).toThrow(/empty or malformed/);
    expect(() => checkVectors(info, 1, [[NaN]])).toThrow(/non-numeric/);
    expect(() => checkVectors(info, 1, undefined)).toThrow(ProviderError);
  });
});
