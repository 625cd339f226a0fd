import type {
  MarkReadInput,
  NotificationForecast,
  NotificationPage,
  NotificationPreferences,
  PushSubscriptionInput,
  UpdatePreferencesInput,
} from "../contracts/notification-contracts.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { Repositories } from "../store/repositories/index.ts";
import { arrivalForecast, type SpreadSettings } from "./fan-out-plan.ts";
import type { FanOutRepository } from "./fan-out-repository.ts";
import type { InboxRepository } from "./inbox-repository.ts";
import { toNotification } from "./notification-document.ts";
import type { PreferencesRepository } from "./preferences-repository.ts";
import type { PushSubscriptionsRepository } from "./push-subscriptions-repository.ts";

/** The notification API of one person: inbox, preferences, muted hosts, push subscriptions. */
export class NotificationsService {
  constructor(
    private readonly repos: Repositories,
    private readonly stores: {
      inbox: InboxRepository;
      preferences: PreferencesRepository;
      subscriptions: PushSubscriptionsRepository;
      fanOuts: FanOutRepository;
    },
    private readonly settings: SpreadSettings & {
      /** Accept http://127.0.0.1 push endpoints (tests with a local push service). */
      allowLoopbackHttp: boolean;
    },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async page(
    accountId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<NotificationPage> {
    const entries = await this.stores.inbox.page(accountId, cursor ?? null, limit + 1);
    const more = entries.length > limit;
    const shown = more ? entries.slice(0, limit) : entries;
    return {
      notifications: shown.map(toNotification),
      unread: await this.stores.inbox.unread(accountId),
      nextCursor: more ? (shown[shown.length - 1]?.id ?? null) : null,
    };
  }

  async markRead(accountId: string, input: MarkReadInput): Promise<{ unread: number }> {
    await this.stores.inbox.markRead(accountId, "ids" in input ? input.ids : "all", this.now());
    return { unread: await this.stores.inbox.unread(accountId) };
  }

  async preferences(accountId: string): Promise<NotificationPreferences> {
    const [prefs, muted] = await Promise.all([
      this.stores.preferences.get(accountId),
      this.stores.preferences.muted(accountId),
    ]);
    return { ...prefs, muted };
  }

  async updatePreferences(
    accountId: string,
    input: UpdatePreferencesInput,
  ): Promise<NotificationPreferences> {
    const current = await this.stores.preferences.get(accountId);
    await this.stores.preferences.save(accountId, {
      push: input.push ?? current.push,
      quietHours: input.quietHours === undefined ? current.quietHours : input.quietHours,
    });
    return this.preferences(accountId);
  }

  async setMuted(accountId: string, handle: string, muted: boolean) {
    const target = await this.repos.accounts.findByHandle(handle);
    if (!target) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    if (target.id === accountId) throw new AmphiError("AMPHI_CANNOT_MUTE_SELF");
    await this.stores.preferences.setMuted(accountId, target.id, muted);
    return {
      account: { id: target.id, handle: target.handle, displayName: target.displayName },
      muted,
    };
  }

  async subscribe(accountId: string, input: PushSubscriptionInput): Promise<void> {
    const url = new URL(input.endpoint);
    const loopback = url.hostname === "127.0.0.1" || url.hostname === "[::1]";
    if (url.protocol !== "https:" && !(this.settings.allowLoopbackHttp && loopback)) {
      throw new AmphiError("AMPHI_VALIDATION_FAILED", {
        message: "A push endpoint must be an https URL.",
        details: [{ path: ["body", "endpoint"], message: "must be https" }],
      });
    }
    await this.stores.subscriptions.save({
      endpoint: input.endpoint,
      accountId,
      p256dh: input.keys.p256dh,
      auth: input.keys.auth,
    });
  }

  async unsubscribe(accountId: string, endpoint: string): Promise<void> {
    await this.stores.subscriptions.delete(endpoint, accountId);
  }

  /**
   * What telling the host's followers does to the join path (hosts and co-hosts): the audience,
   * the spread, the arrival rate it produces against the admit rate, and the go-live
   * fan-out's progress once it started.
   */
  async forecast(spaceId: string, hostId: string): Promise<NotificationForecast> {
    const audience = await this.stores.fanOuts.countUnmuted({ kind: "followers", hostId }, hostId);
    const progress = await this.stores.fanOuts.progress(`live:${spaceId}`);
    return {
      ...arrivalForecast(progress?.audience ?? audience, this.settings),
      audience,
      fanOut: progress && {
        batches: progress.batches,
        batchesWritten: progress.batchesWritten,
        written: progress.written,
        startedAt: progress.startedAt.toISOString(),
        plannedAt: progress.plannedAt?.toISOString() ?? null,
        completedAt: progress.completedAt?.toISOString() ?? null,
      },
    };
  }
}
