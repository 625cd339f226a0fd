import type { InboxRepository } from "../notifications/inbox-repository.ts";

/**
 * Inbox notices of moderation: a statement of reasons to the person it affects, a decision to
 * the person who reported. Written straight into the inbox (one row each; no push), so the
 * person sees it on their next look whatever the job queue is doing.
 */
export class ModerationInbox {
  constructor(
    private readonly inbox: InboxRepository,
    private readonly onError: (error: unknown) => void,
  ) {}

  async statement(accountId: string, statementId: string, action: string): Promise<void> {
    await this.insert(
      accountId,
      "statement",
      { statementId, detail: action },
      `statement:${statementId}`,
    );
  }

  async reportDecided(accountId: string, reportId: string, action: string): Promise<void> {
    await this.insert(
      accountId,
      "report",
      { reportId, detail: action },
      `report:${reportId}:${action}`,
    );
  }

  private async insert(
    accountId: string,
    kind: string,
    payload: Record<string, unknown>,
    dedupeKey: string,
  ): Promise<void> {
    try {
      await this.inbox.insertOne(accountId, {
        kind,
        spaceId: null,
        actorId: null,
        payload,
        dedupeKey,
      });
    } catch (error) {
      // The decision stands and the statement is readable; a lost notice is logged.
      this.onError(error);
    }
  }
}
