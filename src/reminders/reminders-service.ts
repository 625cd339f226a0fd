import type { AudienceForecast, Reminder, ReminderInput } from "../contracts/reminder-contracts.ts";
import { forecastAudience } from "../domain/reminders/audience-forecast.ts";
import { acceptsReminders, momentsOf } from "../domain/reminders/reminder-rules.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { Limiter } from "../limits/limiter.ts";
import { spreadSeconds } from "../notifications/fan-out-plan.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { ReminderRecord } from "../store/repositories/reminders-repository.ts";
import type { SpaceRecord } from "../store/repositories/spaces-repository.ts";

export interface AdmissionCapacity {
  admitRatePerSecond: number;
  maxListeners: number;
  /** NOTIFY_SPREAD_SECONDS: the longest window a go-live's notifications are spread over. */
  notifySpreadSeconds: number;
}

function toReminder(record: ReminderRecord): Reminder {
  return {
    spaceId: record.spaceId,
    at24h: record.at24h,
    at1h: record.at1h,
    atStart: record.atStart,
    createdAt: record.createdAt.toISOString(),
  };
}

/**
 * Reminders of scheduled Spaces (set, change, remove one's own) and the host's forecast of
 * the audience. Firing them is the notifier's job: it walks `remindersDue` in the repository.
 */
export class RemindersService {
  constructor(
    private readonly repos: Repositories,
    /** Changes (set or remove) per person. */
    private readonly limit: Limiter,
    private readonly capacity: AdmissionCapacity,
  ) {}

  async mine(spaceId: string, accountId: string): Promise<Reminder | null> {
    await this.space(spaceId);
    const record = await this.repos.reminders.find(spaceId, accountId);
    return record ? toReminder(record) : null;
  }

  async set(
    spaceId: string,
    accountId: string,
    input: ReminderInput | null | undefined,
  ): Promise<Reminder> {
    await this.limit.take(accountId);
    await this.scheduled(spaceId);
    return toReminder(await this.repos.reminders.save(spaceId, accountId, momentsOf(input ?? {})));
  }

  async remove(spaceId: string, accountId: string): Promise<void> {
    await this.limit.take(accountId);
    await this.scheduled(spaceId);
    await this.repos.reminders.delete(spaceId, accountId);
  }

  /** The host's view: reminders and followers next to what admission lets in. */
  async forecast(spaceId: string, accountId: string): Promise<AudienceForecast> {
    const space = await this.space(spaceId);
    if (space.hostId !== accountId) {
      throw new AmphiError("AMPHI_FORBIDDEN", {
        message: "Only the host sees the audience forecast.",
      });
    }
    const [reminders, { followers }] = await Promise.all([
      this.repos.reminders.count(spaceId),
      this.repos.follows.counts(space.hostId),
    ]);
    const f = forecastAudience({
      reminders,
      followers,
      admitRatePerSecond: this.capacity.admitRatePerSecond,
      maxListeners: this.capacity.maxListeners,
      // The window the notifier will spread this host's go-live over (fan-out-plan.ts).
      spreadSeconds: spreadSeconds(followers, {
        maxSpreadSeconds: this.capacity.notifySpreadSeconds,
        admitRatePerSecond: this.capacity.admitRatePerSecond,
      }),
    });
    return {
      reminders: f.reminders,
      followers: f.followers,
      expectedAudience: f.expectedAudience,
      admitRatePerSecond: f.admitRatePerSecond,
      maxListeners: f.maxListeners,
      fits: f.fits,
      secondsToAdmit: f.secondsToAdmit,
      spreadSeconds: Math.round((f.spreadSeconds ?? 0) * 100) / 100,
      expectedArrivalsPerSecond: f.expectedArrivalsPerSecond,
      expectedPeakQueue: f.expectedPeakQueue,
      expectedMaxWaitSeconds: f.expectedMaxWaitSeconds,
      ...(f.warning ? { warning: f.warning } : {}),
    };
  }

  private async space(spaceId: string): Promise<SpaceRecord> {
    const space = await this.repos.spaces.findById(spaceId);
    if (!space) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    return space;
  }

  private async scheduled(spaceId: string): Promise<SpaceRecord> {
    const space = await this.space(spaceId);
    if (!acceptsReminders(space.state)) {
      throw new AmphiError("AMPHI_SPACE_NOT_SCHEDULED", {
        message: `Reminders are for scheduled Spaces; this one is ${space.state}.`,
        details: { state: space.state },
      });
    }
    return space;
  }
}
