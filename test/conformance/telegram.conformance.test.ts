/** The channel conformance suite (channel.case.ts) over the telegram channel, against its fake. */
import { describe } from "vitest";
import { runChannelConformance } from "./channel.case.js";
import { telegramDriver } from "./drivers.js";

describe("telegram", () => runChannelConformance(telegramDriver));
