/** The channel conformance suite (channel.case.ts) over the dingtalk channel, against its fake. */
import { describe } from "vitest";
import { runChannelConformance } from "./channel.case.js";
import { dingtalkDriver } from "./drivers.js";

describe("dingtalk", () => runChannelConformance(dingtalkDriver));
