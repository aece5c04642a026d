/** The channel conformance suite (channel.case.ts) over the terminal channel, against its fake. */
import { describe } from "vitest";
import { runChannelConformance } from "./channel.case.js";
import { terminalDriver } from "./drivers.js";

describe("terminal", () => runChannelConformance(terminalDriver));
