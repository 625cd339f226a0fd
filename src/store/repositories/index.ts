import type { Db } from "../database.ts";
import { AccountsRepository } from "./accounts-repository.ts";
import { BlocksRepository } from "./blocks-repository.ts";
import { CalendarRepository } from "./calendar-repository.ts";
import { ClipsRepository } from "./clips-repository.ts";
import { FollowsRepository } from "./follows-repository.ts";
import { KnownDevicesRepository } from "./known-devices-repository.ts";
import { ParticipantsRepository } from "./participants-repository.ts";
import { RemindersRepository } from "./reminders-repository.ts";
import { SessionsRepository } from "./sessions-repository.ts";
import { SpacesRepository } from "./spaces-repository.ts";

export interface Repositories {
  accounts: AccountsRepository;
  sessions: SessionsRepository;
  knownDevices: KnownDevicesRepository;
  follows: FollowsRepository;
  spaces: SpacesRepository;
  participants: ParticipantsRepository;
  clips: ClipsRepository;
  reminders: RemindersRepository;
  calendar: CalendarRepository;
  blocks: BlocksRepository;
}

/** Repositories over a database handle or an open transaction. */
export function repositories(db: Db): Repositories {
  return {
    accounts: new AccountsRepository(db),
    sessions: new SessionsRepository(db),
    knownDevices: new KnownDevicesRepository(db),
    follows: new FollowsRepository(db),
    spaces: new SpacesRepository(db),
    participants: new ParticipantsRepository(db),
    clips: new ClipsRepository(db),
    reminders: new RemindersRepository(db),
    calendar: new CalendarRepository(db),
    blocks: new BlocksRepository(db),
  };
}
