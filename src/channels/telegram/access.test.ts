import { describe, expect, it } from "vitest";
import type { Context } from "telegraf";
import { accessControl, REFUSAL } from "./access.js";
import type { TelegramState } from "./addressing.js";

const lists = { allowedUsers: ["100", "@Clerk"], allowedChats: ["-1001"], admins: ["1"] };

/** The parts of a telegraf Context the middleware reads, and what it replied. */
function ctx(
  from: { id: number; username?: string },
  opts: { chatId?: number; command?: string; callback?: boolean } = {},
) {
  const replies: string[] = [];
  const state: TelegramState = opts.command
    ? { incoming: { command: opts.command, args: "" } }
    : { incoming: { command: null, args: "问题" } };
  const c = {
    from: { is_bot: false, first_name: "U", ...from },
    chat: { id: opts.chatId ?? from.id, type: "private" },
    message: opts.callback ? undefined : { message_id: 1, text: "问题" },
    callbackQuery: opts.callback ? { data: "add:x" } : undefined,
    state,
    reply: async (t: string) => void replies.push(t),
  };
  return { c: c as unknown as Context, replies, state };
}

const run = async (mw: ReturnType<typeof accessControl>, x: ReturnType<typeof ctx>) => {
  let passed = false;
  await mw(x.c, async () => {
    passed = true;
  });
  return passed;
};

describe("accessControl middleware", () => {
  it("lets admins, allow-listed users (id or @username) and members of allowed groups through, with their role", async () => {
    const mw = accessControl(lists);
    for (const [from, chatId, role] of [
      [{ id: 1 }, 1, "admin"],
      [{ id: 100 }, 100, "user"],
      [{ id: 5, username: "clerk" }, 5, "user"],
      [{ id: 7 }, -1001, "user"],
    ] as const) {
      const x = ctx(from, { chatId });
      expect(await run(mw, x)).toBe(true);
      expect(x.state.caller).toMatchObject({ role, userId: String(from.id), chatId: `telegram:${chatId}` });
    }
  });

  it("stops a stranger with one refusal per user, lets their /whoami through, and logs each refusal", async () => {
    const logs: string[] = [];
    const mw = accessControl(lists, { log: (l) => logs.push(l) });
    const a = ctx({ id: 666 });
    expect(await run(mw, a)).toBe(false);
    const b = ctx({ id: 666 });
    expect(await run(mw, b)).toBe(false);
    expect([...a.replies, ...b.replies]).toEqual([REFUSAL]);
    expect(await run(mw, ctx({ id: 666 }, { command: "whoami" }))).toBe(true);
    expect(logs).toEqual(["refused user 666 in chat 666 (not allow-listed)"]);
  });

  it("bounds what it remembers: past the limit it forgets and may refuse a stranger twice", async () => {
    const mw = accessControl(lists, { maxRemembered: 2 });
    const replies: string[] = [];
    for (const id of [601, 602, 603, 601]) {
      const x = ctx({ id });
      await run(mw, x);
      replies.push(...x.replies);
    }
    expect(replies).toHaveLength(4);
  });

  it("passes a stranger's callback query on (the handler refuses the action)", async () => {
    const x = ctx({ id: 666 }, { callback: true });
    expect(await run(accessControl(lists), x)).toBe(true);
    expect(x.state.caller?.role).toBe("stranger");
  });
});
