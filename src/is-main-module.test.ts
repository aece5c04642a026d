import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { isMainModule } from "./is-main-module.js";

describe("isMainModule", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "is main 主模块 "));
  mkdirSync(path.join(dir, "src"));
  const file = path.join(dir, "src", "main.js");
  writeFileSync(file, "");

  it("matches a path with spaces and non-ASCII characters (percent-encoded in the URL)", () => {
    const url = pathToFileURL(file).href;
    expect(url).toContain("%20");
    expect(isMainModule(url, file)).toBe(true);
  });

  it("matches through a symlink and a relative argv[1]", () => {
    const link = path.join(dir, "link.js");
    symlinkSync(file, link);
    expect(isMainModule(pathToFileURL(file).href, link)).toBe(true);
    expect(isMainModule(pathToFileURL(file).href, path.relative(process.cwd(), file))).toBe(true);
  });

  it("is false for another script or no argv[1]", () => {
    const other = path.join(dir, "src", "other.js");
    writeFileSync(other, "");
    expect(isMainModule(pathToFileURL(file).href, other)).toBe(false);
    expect(isMainModule(pathToFileURL(file).href, undefined)).toBe(false);
  });
});
