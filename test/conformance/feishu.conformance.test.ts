/** The channel conformance suite (channel.case.ts) over the feishu channel, against its fake. */
import { describe } from "vitest";
import { runChannelConformance } from "./channel.case.js";
import { feishuDriver } from "./drivers.js";

describe("feishu", () => runChannelConformance(feishuDriver));
