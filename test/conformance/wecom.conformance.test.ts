/** The channel conformance suite (channel.case.ts) over the wecom channel, against its fake. */
import { describe } from "vitest";
import { runChannelConformance } from "./channel.case.js";
import { wecomDriver } from "./drivers.js";

describe("wecom", () => runChannelConformance(wecomDriver));
