import type { Selectable } from "kysely";
import type { Db } from "../store/database.ts";
import type { WebhookDeliveriesTable } from "../store/schema.ts";

export interface MessageRecord {
  id: string;
  endpointId: string;
  eventType: string;
  body: string;
  createdAt: Date;
}

export interface DeliveryRecord {
  id: string;
  endpointId: string;
  messageId: string;
  eventType: string;
  attempt: number;
  outcome: "delivered" | "failed";
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
  nextRetryAt: Date | null;
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): DeliveryRecord {
  return {
    id: String(row.id),
    endpointId: row.endpoint_id,
    messageId: row.message_id,
    eventType: row.event_type,
    attempt: row.attempt,
    outcome: row.outcome as DeliveryRecord["outcome"],
    statusCode: row.status_code,
    error: row.error,
    durationMs: row.duration_ms,
    attemptedAt: new Date(row.attempted_at),
    nextRetryAt: row.next_retry_at === null ? null : new Date(row.next_retry_at),
  };
}

/** The messages owed to endpoints (their exact bodies) and the log of every attempt. */
export class DeliveryRepository {
  constructor(private readonly db: Db) {}

  /** Keeps the message once: false when it was already there (another node, a replay). */
  async addMessage(message: Omit<MessageRecord, "createdAt">): Promise<boolean> {
    const rows = await this.db
      .insertInto("webhook_messages")
      .values({
        id: message.id,
        endpoint_id: message.endpointId,
        event_type: message.eventType,
        body: message.body,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .execute();
    return rows.length > 0;
  }

  async message(id: string): Promise<MessageRecord | null> {
    const row = await this.db
      .selectFrom("webhook_messages")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      endpointId: row.endpoint_id,
      eventType: row.event_type,
      body: row.body,
      createdAt: new Date(row.created_at),
    };
  }

  /** Whether this attempt of the message is already in the log (a job run twice). */
  async attempted(messageId: string, attempt: number): Promise<boolean> {
    const row = await this.db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("message_id", "=", messageId)
      .where("attempt", "=", attempt)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Logs an attempt; its id, or null when this attempt was already logged. */
  async log(delivery: Omit<DeliveryRecord, "id">): Promise<string | null> {
    const row = await this.db
      .insertInto("webhook_deliveries")
      .values({
        endpoint_id: delivery.endpointId,
        message_id: delivery.messageId,
        event_type: delivery.eventType,
        attempt: delivery.attempt,
        outcome: delivery.outcome,
        status_code: delivery.statusCode,
        error: delivery.error === null ? null : delivery.error.slice(0, 500),
        duration_ms: delivery.durationMs,
        attempted_at: delivery.attemptedAt,
        next_retry_at: delivery.nextRetryAt,
      })
      .onConflict((oc) => oc.columns(["message_id", "attempt"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    return row ? String(row.id) : null;
  }

  /** The endpoint's attempts, newest first. */
  async forEndpoint(endpointId: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("endpoint_id", "=", endpointId)
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }

  /** Deletes messages (and their attempts) older than `cutoff`; returns how many. */
  async deleteBefore(cutoff: Date): Promise<number> {
    const result = await this.db
      .deleteFrom("webhook_messages")
      .where("created_at", "<", cutoff)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
