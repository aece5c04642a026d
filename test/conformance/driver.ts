/**
 * What the conformance suite needs from a channel: start it over an Assistant against a fake of
 * its platform, have users write to it, and read what reached each user's chat as the platform
 * received it (raw markup) and as the user sees it (visible text).
 */
import type { Assistant } from "../../src/assistant/assistant.js";

export type UserName = "alice" | "boss" | "mallory";

export interface Received {
  /** The message as the platform got it (HTML, Markdown, plain text). */
  raw: string;
  /** Files sent along (calendar). */
  files: string[];
}

export interface SayOptions {
  group?: boolean;
  /** In a group: @mention the bot (default true). */
  mention?: boolean;
}

export interface ChannelDriver {
  name: string;
  can: {
    /** Has users other than the operator (the terminal's user is its admin). */
    strangers: boolean;
    /** Sending can fail (the terminal writes to a stream). */
    sendFailures: boolean;
    /** Groups where unaddressed messages reach the bot (the group @mention rule is ours to apply). */
    groupRule: boolean;
    /** Sends the .ics calendar as a file. */
    calendarFile: boolean;
    /** Has a message size limit to split under. */
    limit: boolean;
  };
  /** Does one message fit the platform's limit? */
  fits(raw: string): boolean;
  /** What a user sees of a raw message (markup rendered away, escapes undone). */
  visible(raw: string): string;
  /** Markup that a raw message would render (bold, a link, HTML): none may be active. */
  activeMarkup(raw: string): string[];
  start(assistant: Assistant): Promise<void>;
  say(user: UserName, text: string, opts?: SayOptions): Promise<void>;
  sendDocument(user: UserName, filename: string, content: Buffer): Promise<void>;
  /** Wait until the user's chat (or the group) has at least `n` messages; all of them. */
  received(user: UserName, n: number, opts?: { group?: boolean; timeoutMs?: number }): Promise<Received[]>;
  /** Make the next `n` sends fail (429 where the platform has it, else a 5xx). */
  failNextSends(n: number): void;
  /** Send attempts so far (failed ones included). */
  attempts(): number;
  /** The channel's log lines so far (operators' view: errors in full). */
  logs(): string[];
  stop(): Promise<void>;
}
