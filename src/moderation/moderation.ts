import type { Logger } from "pino";
import type { AccountsService } from "../accounts/accounts-service.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { Limiter } from "../limits/limiter.ts";
import type { InboxRepository } from "../notifications/inbox-repository.ts";
import type { RecordingsService } from "../recordings/recordings-service.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { Db } from "../store/database.ts";
import { type Repositories, repositories } from "../store/repositories/index.ts";
import { AppealsService } from "./appeals-service.ts";
import { DecisionsService } from "./decisions-service.ts";
import { ModerationInbox } from "./moderation-inbox.ts";
import { NoticesService } from "./notices-service.ts";
import { ReachLimits } from "./reach-limits.ts";
import { mayModerate } from "./roles.ts";
import { StatementsService } from "./statements-service.ts";

export interface ModerationDeps {
  db: Db;
  spaces: SpacesService;
  accounts: AccountsService;
  recordings: RecordingsService;
  /** A signed playlist URL of a live Space, for the moderator's player. */
  livePlaylist: (spaceId: string) => string;
  inbox: InboxRepository;
  /** Reports per reporter (account, else network) per hour (REPORTS_PER_HOUR). */
  reportLimiter: Limiter;
  /** A reach limit was set or lifted: discovery lists refresh (the Space change event). */
  reachChanged: (spaceIds: readonly string[]) => void;
  log: Logger;
  now?: () => Date;
}

/**
 * Moderation and the DSA on one node: notices, decisions, statements, appeals, the export,
 * the transparency report, the reach limits the other domains ask about, and the log-in gate
 * that keeps suspended accounts out.
 */
export class Moderation {
  readonly notices: NoticesService;
  readonly decisions: DecisionsService;
  readonly statements: StatementsService;
  readonly appeals: AppealsService;
  readonly reach: ReachLimits;
  private readonly repos: Repositories;

  constructor(deps: ModerationDeps) {
    const { db, log } = deps;
    const now = deps.now ?? (() => new Date());
    this.repos = repositories(db);
    this.reach = new ReachLimits(this.repos.restrictions, (error) =>
      log.warn({ err: error }, "moderation: reach limits could not be read"),
    );
    const inbox = new ModerationInbox(deps.inbox, (error) =>
      log.warn({ err: error }, "moderation: inbox notice not written"),
    );
    this.notices = new NoticesService(this.repos, {
      limiter: deps.reportLimiter,
      spaces: deps.spaces,
      recordings: deps.recordings,
      livePlaylist: deps.livePlaylist,
      now,
    });
    this.statements = new StatementsService(this.repos, this.notices, now);
    this.decisions = new DecisionsService({
      db,
      spaces: deps.spaces,
      accounts: deps.accounts,
      notices: this.notices,
      reach: this.reach,
      inbox,
      reachChanged: deps.reachChanged,
      now,
    });
    this.appeals = new AppealsService({
      db,
      spaces: deps.spaces,
      notices: this.notices,
      statements: this.statements,
      decisions: this.decisions,
      inbox,
      now,
    });
    // A suspended account cannot log in: 403 naming the statement of reasons.
    deps.accounts.guardLogIn(async (account) => {
      const suspension = await this.repos.restrictions.activeSuspension(account.id, now());
      if (!suspension) return;
      throw new AmphiError("AMPHI_ACCOUNT_SUSPENDED", {
        details: {
          statementId: suspension.statementId,
          until: suspension.endsAt?.toISOString() ?? null,
        },
      });
    });
  }

  async rolesOf(accountId: string): Promise<string[]> {
    return this.repos.roles.rolesOf(accountId);
  }

  async isModerator(accountId: string | null): Promise<boolean> {
    return accountId !== null && mayModerate(await this.rolesOf(accountId));
  }

  start(): void {
    this.reach.start();
  }

  stop(): void {
    this.reach.stop();
  }
}
