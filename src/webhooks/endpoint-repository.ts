import { type Selectable, sql } from "kysely";
import type { WebhookEventType, WebhookStatus } from "../contracts/webhook-contracts.ts";
import type { Db } from "../store/database.ts";
import type { WebhookEndpointsTable } from "../store/schema.ts";

export interface EndpointRecord {
  id: string;
  accountId: string;
  url: string;
  events: WebhookEventType[];
  secret: string;
  status: WebhookStatus;
  consecutiveFailures: number;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  createdAt: Date;
}

const date = (d: Date | string | null): Date | null => (d === null ? null : new Date(d));

function toRecord(row: Selectable<WebhookEndpointsTable>): EndpointRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    url: row.url,
    events: row.events.split(",").filter(Boolean) as WebhookEventType[],
    secret: row.secret,
    status: row.status as WebhookStatus,
    consecutiveFailures: row.consecutive_failures,
    lastSuccessAt: date(row.last_success_at),
    lastFailureAt: date(row.last_failure_at),
    createdAt: new Date(row.created_at),
  };
}

/** A host's webhook endpoints and their health. */
export class EndpointRepository {
  constructor(private readonly db: Db) {}

  async create(endpoint: {
    id: string;
    accountId: string;
    url: string;
    events: WebhookEventType[];
    secret: string;
  }): Promise<EndpointRecord> {
    const row = await this.db
      .insertInto("webhook_endpoints")
      .values({
        id: endpoint.id,
        account_id: endpoint.accountId,
        url: endpoint.url,
        events: endpoint.events.join(","),
        secret: endpoint.secret,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async countForAccount(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom("webhook_endpoints")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("account_id", "=", accountId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async listForAccount(accountId: string): Promise<EndpointRecord[]> {
    const rows = await this.db
      .selectFrom("webhook_endpoints")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("created_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return rows.map(toRecord);
  }

  async find(id: string): Promise<EndpointRecord | null> {
    const row = await this.db
      .selectFrom("webhook_endpoints")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Deletes the account's endpoint (its messages and log go with it); false if none. */
  async delete(id: string, accountId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("webhook_endpoints")
      .where("id", "=", id)
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The account's endpoints that take `type` and are not disabled. */
  async subscribedTo(accountId: string, type: WebhookEventType): Promise<EndpointRecord[]> {
    const rows = await this.db
      .selectFrom("webhook_endpoints")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("status", "!=", "disabled")
      .where(sql<boolean>`position(${`,${type},`} in ',' || events || ',') > 0`)
      .execute();
    return rows.map(toRecord);
  }

  async markDelivered(id: string, at: Date): Promise<void> {
    await this.db
      .updateTable("webhook_endpoints")
      .set({ status: "active", consecutive_failures: 0, last_success_at: at })
      .where("id", "=", id)
      .execute();
  }

  /**
   * One more failed attempt in a row: `failing` from the `failingAfter`-th on, `disabled` at
   * once when the receiver said 410 Gone (Standard Webhooks: it wants no more).
   */
  async markFailed(id: string, at: Date, failingAfter: number, gone: boolean): Promise<void> {
    await this.db
      .updateTable("webhook_endpoints")
      .set((eb) => ({
        consecutive_failures: eb("consecutive_failures", "+", 1),
        last_failure_at: at,
        status: gone
          ? "disabled"
          : sql<string>`case when status = 'disabled' then status
              when consecutive_failures + 1 >= ${failingAfter} then 'failing' else status end`,
      }))
      .where("id", "=", id)
      .execute();
  }
}
