/**
 * Publish/subscribe between the parts of Amphi (and, with a shared implementation, between
 * processes). Events are a typed map: `{ topicName: PayloadType }`.
 */
export interface Bus<Events extends object> {
  publish<K extends keyof Events & string>(topic: K, payload: Events[K]): void;
  /** Returns the function that ends the subscription. */
  subscribe<K extends keyof Events & string>(
    topic: K,
    handler: (payload: Events[K]) => void,
  ): () => void;
}
