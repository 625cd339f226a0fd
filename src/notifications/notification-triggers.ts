import type { Logger } from "pino";
import type { SpaceActivity } from "../spaces/space-activity.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { ReminderMoment } from "./audience-sources.ts";
import type { NotificationTemplate } from "./fan-out-repository.ts";
import type { NotificationPayload } from "./notification-document.ts";
import { type DeliveryOptions, type NotificationJobs, startedEarly } from "./notification-jobs.ts";

const reminderOffsetsMs: Record<ReminderMoment, number> = {
  "24h": 86_400_000,
  "1h": 3_600_000,
  start: 0,
};

/** Pushes that lose their point after a while expire at the push service. */
const liveDelivery: DeliveryOptions = { spread: true, ttlSeconds: 900, urgency: "high" };
const reminderDelivery: DeliveryOptions = { spread: true, ttlSeconds: 900, urgency: "high" };
const quietDelivery: DeliveryOptions = { spread: false, ttlSeconds: 86_400, urgency: "normal" };
const inviteDelivery: DeliveryOptions = { spread: false, ttlSeconds: 600, urgency: "high" };

/** Seconds after the end before "replay ready" goes out: every node's listener log is flushed. */
export const replayDelaySeconds = 10;

/**
 * Turns what happens to Spaces into notification jobs, on the node where it happened (once
 * per change): a Space goes live -> its host's followers; a scheduled Space -> its reminders
 * at 24 h, 1 h and the start; a recorded Space ends -> "replay ready" to who set a reminder
 * or listened; an invitation to speak -> the invitee.
 */
export class NotificationTriggers {
  constructor(
    private readonly repos: Repositories,
    private readonly jobs: NotificationJobs,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The observer for `SpacesService.observe`. */
  readonly observe = (activity: SpaceActivity): void => {
    this.handle(activity).catch((error) =>
      this.log.error({ err: error, spaceId: activity.spaceId }, "notifications: could not enqueue"),
    );
  };

  async handle(activity: SpaceActivity): Promise<void> {
    switch (activity.type) {
      case "created":
        if (activity.state === "scheduled" && activity.scheduledFor)
          await this.scheduleReminders(activity.spaceId, activity.scheduledFor);
        return;
      case "stateChanged":
        if (activity.to === "live") await this.spaceWentLive(activity.spaceId);
        else if (activity.to === "ended") await this.spaceEnded(activity.spaceId);
        return;
      case "stageAction":
        if (
          (activity.action === "inviteSpeaker" || activity.action === "inviteCohost") &&
          activity.targetId &&
          activity.changed.includes(activity.targetId)
        ) {
          await this.invited(activity.spaceId, activity.actorId, activity.targetId, activity);
        }
        return;
    }
  }

  private silenced: ((spaceId: string, hostId: string) => boolean) | null = null;

  /** Go-lives this says are silenced (a moderator limited the Space's reach) notify no follower. */
  silenceGoLiveWhen(silenced: (spaceId: string, hostId: string) => boolean): void {
    this.silenced = silenced;
  }

  /**
   * "@host is live": one fan-out job over the host's followers (none when a moderator limited
   * the Space's reach). A scheduled Space that starts early also tells, now, who asked to be
   * reminded at its start (the job at the scheduled time then sends nothing).
   */
  async spaceWentLive(spaceId: string): Promise<void> {
    const base = await this.template(spaceId, "live", `live:${spaceId}`);
    if (!base) return;
    if (!this.silenced?.(spaceId, base.hostId)) {
      await this.jobs.enqueueFanOut({
        source: { kind: "followers", hostId: base.hostId },
        template: base.template,
        delivery: liveDelivery,
      });
    }
    const space = await this.repos.spaces.findById(spaceId);
    if (!space || !startedEarly(space)) return;
    const early = await this.template(
      spaceId,
      "reminder",
      `reminder:${spaceId}:start:early`,
      "start",
    );
    if (!early) return;
    await this.jobs.enqueueFanOut({
      source: { kind: "reminders", spaceId, at: "start" },
      template: early.template,
      delivery: reminderDelivery,
    });
  }

  /** A recorded Space ended: "its replay is ready", a moment later (listener logs flushed). */
  async spaceEnded(spaceId: string): Promise<void> {
    const space = await this.repos.spaces.findById(spaceId);
    if (!space?.recording) return;
    const base = await this.template(spaceId, "replay", `replay:${spaceId}`);
    if (!base) return;
    await this.jobs.enqueueFanOut(
      { source: { kind: "replay", spaceId }, template: base.template, delivery: quietDelivery },
      new Date(this.now().getTime() + replayDelaySeconds * 1000),
    );
  }

  /** Reminders at 24 h, 1 h and the start, each a fan-out starting at its time. */
  async scheduleReminders(spaceId: string, scheduledFor: Date): Promise<void> {
    const nowMs = this.now().getTime();
    for (const [at, offset] of Object.entries(reminderOffsetsMs) as [ReminderMoment, number][]) {
      const when = scheduledFor.getTime() - offset;
      // A reminder whose time has passed is not sent late (the start one always is).
      if (when < nowMs - 60_000 && at !== "start") continue;
      const base = await this.template(spaceId, "reminder", `reminder:${spaceId}:${at}`, at);
      if (!base) return;
      await this.jobs.enqueueFanOut(
        {
          source: { kind: "reminders", spaceId, at },
          template: base.template,
          delivery: reminderDelivery,
          scheduledFor: scheduledFor.toISOString(),
        },
        new Date(Math.max(when, nowMs)),
      );
    }
  }

  /** "@actor invites you to speak": one person, at once. */
  async invited(
    spaceId: string,
    actorId: string,
    targetId: string,
    activity: { action: string; at: Date },
  ): Promise<void> {
    const base = await this.template(
      spaceId,
      "invitation",
      `invite:${spaceId}:${activity.at.getTime()}`,
      activity.action === "inviteCohost" ? "cohost" : "speaker",
      actorId,
    );
    if (!base) return;
    await this.jobs.enqueueOne({
      accountId: targetId,
      template: base.template,
      delivery: inviteDelivery,
    });
  }

  private async template(
    spaceId: string,
    kind: string,
    dedupeKey: string,
    detail?: string,
    actorId?: string,
  ): Promise<{ template: NotificationTemplate; hostId: string } | null> {
    const space = await this.repos.spaces.findById(spaceId);
    if (!space) return null;
    const actor = await this.repos.accounts.findById(actorId ?? space.hostId);
    const payload: NotificationPayload = {
      title: space.title,
      ...(actor ? { actorHandle: actor.handle, actorName: actor.displayName } : {}),
      ...(detail ? { detail } : {}),
    };
    return {
      hostId: space.hostId,
      template: {
        kind,
        spaceId,
        actorId: actor?.id ?? null,
        payload: payload as Record<string, unknown>,
        dedupeKey,
      },
    };
  }
}
