import type { Bus } from "./bus.ts";

/** The in-process bus of a single Amphi process: handlers run synchronously, in order. */
export class MemoryBus<Events extends object> implements Bus<Events> {
  private readonly handlers = new Map<string, Set<(payload: never) => void>>();

  constructor(private readonly onHandlerError: (error: unknown) => void = () => {}) {}

  publish<K extends keyof Events & string>(topic: K, payload: Events[K]): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        (handler as (p: Events[K]) => void)(payload);
      } catch (error) {
        this.onHandlerError(error);
      }
    }
  }

  subscribe<K extends keyof Events & string>(
    topic: K,
    handler: (payload: Events[K]) => void,
  ): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler as (payload: never) => void);
    return () => set.delete(handler as (payload: never) => void);
  }
}
