/**
 * Work is queued per chat so that replies in one chat keep their order, while different chats
 * run concurrently and the update loop never waits for slow work.
 */
export class ChatQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Run `task` after the chat's earlier tasks. `task` must handle its own errors. */
  push(chatId: string, task: () => Promise<void>): Promise<void> {
    const prev = this.tails.get(chatId) ?? Promise.resolve();
    const next = prev.then(task, task).catch(() => {});
    this.tails.set(chatId, next);
    void next.then(() => {
      if (this.tails.get(chatId) === next) this.tails.delete(chatId);
    });
    return next;
  }

  /** Resolves when every queued task has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  get size(): number {
    return this.tails.size;
  }
}
