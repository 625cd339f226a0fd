import type { Redis } from "ioredis";
import type { Bus } from "../../bus/bus.ts";
import { MemoryBus } from "../../bus/memory-bus.ts";

interface Envelope {
  from: string;
  topic: string;
  payload: unknown;
}

/**
 * Publish/subscribe across the fleet over Redis pub/sub. A publish reaches this node's
 * handlers at once (in order, as the in-process bus does) and the other nodes through the
 * channel `amphi:bus:NAME`; a node ignores its own messages coming back. While Redis is down
 * the node keeps its local deliveries; what other nodes missed they learn from the next
 * event or their caches' time limits (Space snapshots live 5 s).
 */
export class RedisBus<Events extends object> implements Bus<Events> {
  private readonly local: MemoryBus<Events>;
  private readonly channel: string;

  constructor(
    private readonly publisher: Redis,
    subscriber: Redis,
    private readonly options: {
      name: string;
      nodeId: string;
      onHandlerError: (error: unknown) => void;
    },
  ) {
    this.local = new MemoryBus<Events>(options.onHandlerError);
    this.channel = `amphi:bus:${options.name}`;
    subscriber.subscribe(this.channel).catch(() => {
      // Redis down at start: ioredis subscribes again on reconnect.
    });
    subscriber.on("message", (channel: string, message: string) => {
      if (channel !== this.channel) return;
      this.receive(message);
    });
  }

  publish<K extends keyof Events & string>(topic: K, payload: Events[K]): void {
    this.local.publish(topic, payload);
    const envelope: Envelope = { from: this.options.nodeId, topic, payload };
    this.publisher.publish(this.channel, JSON.stringify(envelope)).catch(() => {
      // Degraded: the other nodes miss this event (see the class comment).
    });
  }

  subscribe<K extends keyof Events & string>(
    topic: K,
    handler: (payload: Events[K]) => void,
  ): () => void {
    return this.local.subscribe(topic, handler);
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch (error) {
      this.options.onHandlerError(error);
      return;
    }
    if (envelope.from === this.options.nodeId) return;
    this.local.publish(envelope.topic as keyof Events & string, envelope.payload as never);
  }
}
