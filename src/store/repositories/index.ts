import type { Db } from "../database.ts";
import { AccountsRepository } from "./accounts-repository.ts";
import { AppealsRepository } from "./appeals-repository.ts";
import { AuditLogRepository } from "./audit-log-repository.ts";
import { BlocksRepository } from "./blocks-repository.ts";
import { CalendarRepository } from "./calendar-repository.ts";
import { ClipsRepository } from "./clips-repository.ts";
import { FollowsRepository } from "./follows-repository.ts";
import { KnownDevicesRepository } from "./known-devices-repository.ts";
import { ParticipantsRepository } from "./participants-repository.ts";
import { RemindersRepository } from "./reminders-repository.ts";
import { ReportsRepository } from "./reports-repository.ts";
import { RestrictionsRepository } from "./restrictions-repository.ts";
import { RolesRepository } from "./roles-repository.ts";
import { SessionsRepository } from "./sessions-repository.ts";
import { SpacesRepository } from "./spaces-repository.ts";
import { StatementsRepository } from "./statements-repository.ts";

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
  /** Moderation (0011): roles, notices, statements, restrictions, appeals, the audit log. */
  roles: RolesRepository;
  reports: ReportsRepository;
  statements: StatementsRepository;
  restrictions: RestrictionsRepository;
  appeals: AppealsRepository;
  auditLog: AuditLogRepository;
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
    roles: new RolesRepository(db),
    reports: new ReportsRepository(db),
    statements: new StatementsRepository(db),
    restrictions: new RestrictionsRepository(db),
    appeals: new AppealsRepository(db),
    auditLog: new AuditLogRepository(db),
    blocks: new BlocksRepository(db),
  };
}
