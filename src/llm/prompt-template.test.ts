import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { fillTemplate, loadPrompt } from "./prompt-template.js";

describe("fillTemplate", () => {
  it("replaces known placeholders, keeps unknown ones, does not expand values", () => {
    expect(
      fillTemplate("问：{{question}} 资料：{{ sources }} {{other}}", { question: "{{sources}}", sources: "S" }),
    ).toBe("问：{{sources}} 资料：S {{other}}");
  });
});

describe("loadPrompt", () => {
  it("reads prompts/<name>.md", async () => {
    const dir = await mkdtemp(join(tmpdir(), "prompts-"));
    await writeFile(join(dir, "answer.md"), "模板 {{question}}");
    expect(await loadPrompt(dir, "answer")).toBe("模板 {{question}}");
  });
  it("a missing template is a ConfigError naming the file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "prompts-"));
    const err = await loadPrompt(dir, "nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain("nope.md");
  });
  it("the project's prompts exist and use the placeholders the code fills", async () => {
    const dir = new URL("../../prompts/", import.meta.url).pathname;
    const answer = await loadPrompt(dir, "answer");
    for (const p of ["{{sources}}", "{{question}}", "{{count}}"]) expect(answer).toContain(p);
    const rewrite = await loadPrompt(dir, "rewrite");
    for (const p of ["{{history}}", "{{question}}"]) expect(rewrite).toContain(p);
  });
});
