import { describe, expect, it } from "vitest";
import { captureIo } from "../../../test/fakes/capture-io.js";
import { parseCommand } from "./args.js";

const options = { json: { type: "boolean", default: false }, k: { type: "string", short: "k" } } as const;

describe("parseCommand", () => {
  it("returns the parsed values and positionals", () => {
    const { io } = captureIo();
    const parsed = parseCommand(["--json", "-k", "3", "快递", "网点"], options, "USAGE\n", io);
    expect(parsed).not.toBeTypeOf("number");
    if (typeof parsed === "number") return;
    expect(parsed.values.json).toBe(true);
    expect(parsed.values.k).toBe("3");
    expect(parsed.positionals).toEqual(["快递", "网点"]);
  });

  it("prints the usage on stdout and exits 0 for --help", () => {
    const c = captureIo();
    expect(parseCommand(["-h"], options, "USAGE\n", c.io)).toBe(0);
    expect(c.out()).toBe("USAGE\n");
  });

  it("names the bad option and exits 2", () => {
    const c = captureIo();
    expect(parseCommand(["--jsno", "x"], options, "USAGE\n", c.io)).toBe(2);
    expect(c.err()).toMatch(/--jsno/);
    expect(c.err()).toMatch(/USAGE/);
  });
});
