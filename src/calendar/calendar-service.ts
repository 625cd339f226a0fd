import { handleSchema } from "../domain/accounts/account-rules.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { Repositories } from "../store/repositories/index.ts";
import {
  type CalendarSite,
  calendarFileName,
  hostCalendar,
  spaceCalendar,
} from "./space-calendar.ts";

/** How far back a host's feed keeps Spaces that ended or were cancelled. */
export const feedHistoryDays = 30;
const feedLimit = 200;

export interface CalendarFile {
  body: string;
  fileName: string;
}

/** The .ics of a Space and a host's calendar feed, read from the database. */
export class CalendarService {
  constructor(
    private readonly repos: Repositories,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async space(spaceId: string, site: CalendarSite): Promise<CalendarFile> {
    const space = await this.repos.calendar.space(spaceId);
    if (!space) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    const body = spaceCalendar(space, site);
    if (!body) {
      throw new AmphiError("AMPHI_NOT_FOUND", {
        message:
          "This Space has no start time yet: its calendar event exists once it is scheduled for a time or starts.",
        details: { reason: "unscheduled" },
      });
    }
    return { body, fileName: calendarFileName(space.title, space.id) };
  }

  async host(handle: string, site: CalendarSite): Promise<CalendarFile> {
    const parsed = handleSchema.safeParse(handle);
    const account = parsed.success ? await this.repos.accounts.findByHandle(parsed.data) : null;
    if (!account) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    const since = new Date(this.now().getTime() - feedHistoryDays * 86_400_000);
    const spaces = await this.repos.calendar.hostSpaces(account.id, since, feedLimit);
    return {
      body: hostCalendar(account, spaces, site),
      fileName: `${account.handle}.ics`,
    };
  }
}
