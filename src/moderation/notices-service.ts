import { hashSessionToken } from "../accounts/session-tokens.ts";
import type {
  CreatedReport,
  CreateReportInput,
  ModerationReport,
  Playback,
  Report,
} from "../contracts/moderation-contracts.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { Limiter } from "../limits/limiter.ts";
import { clientKey } from "../limits/limiter.ts";
import type { RecordingsService } from "../recordings/recordings-service.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { ReportRecord } from "../store/repositories/reports-repository.ts";
import { groundOf } from "./categories.ts";
import { newModerationId, newReceiptToken } from "./moderation-ids.ts";
import { noticeSourceOf, priorityOf } from "./roles.ts";

/** Who is asking to read a report. */
export interface ReportReader {
  accountId: string | null;
  token: string | undefined;
  moderator: boolean;
}

/** The report as its reporter (and anyone holding the receipt) reads it. */
export function toReport(r: ReportRecord): Report {
  return {
    id: r.id,
    target: {
      type: r.targetType,
      id: r.targetId,
      offsetSeconds: r.offsetSeconds,
      moment: r.moment,
    },
    category: r.category,
    ground: r.ground,
    explanation: r.explanation,
    source: r.source,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    decision:
      r.decidedAt && r.decisionAction && r.statementId
        ? {
            action: r.decisionAction as NonNullable<Report["decision"]>["action"],
            decidedAt: r.decidedAt.toISOString(),
            statementId: r.statementId,
          }
        : null,
  };
}

/** Notices (DSA Art. 16): anyone sends one, the reporter follows it, moderators queue them. */
export class NoticesService {
  constructor(
    private readonly repos: Repositories,
    private readonly deps: {
      limiter: Limiter;
      spaces: SpacesService;
      recordings: RecordingsService;
      livePlaylist: (spaceId: string) => string;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async report(
    input: CreateReportInput,
    reporter: { accountId: string | null; ip: string },
  ): Promise<CreatedReport> {
    await this.deps.limiter.take(reporter.accountId ?? clientKey(reporter.ip));
    const { target } = input;
    if (target.offsetSeconds !== undefined && target.type !== "space") {
      throw new AmphiError("AMPHI_VALIDATION_FAILED", {
        details: [
          { path: ["body", "target", "offsetSeconds"], message: "only a Space has moments" },
        ],
      });
    }
    let targetId: string;
    let moment: "live" | "replay" | null = null;
    if (target.type === "space") {
      const space = await this.repos.spaces.findById(target.id);
      if (!space) throw new AmphiError("AMPHI_REPORT_TARGET_NOT_FOUND");
      targetId = space.id;
      if (target.offsetSeconds !== undefined) {
        moment = space.state === "live" ? "live" : space.state === "ended" ? "replay" : null;
      }
    } else if (target.type === "clip") {
      const clip = await this.repos.clips.findById(target.id);
      if (!clip) throw new AmphiError("AMPHI_REPORT_TARGET_NOT_FOUND");
      targetId = clip.id;
    } else {
      const account =
        (await this.repos.accounts.findByHandle(target.id.toLowerCase())) ??
        (await this.repos.accounts.findById(target.id));
      if (!account) throw new AmphiError("AMPHI_REPORT_TARGET_NOT_FOUND");
      targetId = account.id;
    }
    const roles = reporter.accountId ? await this.repos.roles.rolesOf(reporter.accountId) : [];
    const source = noticeSourceOf(roles);
    const token = newReceiptToken();
    const record = await this.repos.reports.create({
      id: newModerationId("rep"),
      targetType: target.type,
      targetId,
      offsetSeconds: target.offsetSeconds ?? null,
      moment,
      category: input.category,
      ground: groundOf(input.category),
      explanation: input.explanation,
      reporterId: reporter.accountId,
      reporterName: input.name ?? null,
      reporterEmail: input.email ?? null,
      tokenHash: hashSessionToken(token),
      source,
      priority: priorityOf(source),
      createdAt: this.now(),
    });
    return { report: toReport(record), receipt: { id: record.id, token } };
  }

  /** The reporter's own notices, newest first. */
  async mine(accountId: string): Promise<Report[]> {
    return (await this.repos.reports.byReporter(accountId, 200)).map(toReport);
  }

  /** A report for its reporter (logged in, or with the receipt token) or a moderator; else 404. */
  async read(id: string, reader: ReportReader): Promise<Report> {
    const record = await this.repos.reports.findById(id);
    if (!record || !this.mayRead(record, reader)) throw new AmphiError("AMPHI_REPORT_NOT_FOUND");
    return toReport(record);
  }

  mayRead(record: ReportRecord, reader: ReportReader): boolean {
    if (reader.moderator) return true;
    if (reader.accountId !== null && record.reporterId === reader.accountId) return true;
    return reader.token !== undefined && hashSessionToken(reader.token) === record.tokenHash;
  }

  async queue(status: "open" | "decided", limit: number): Promise<ModerationReport[]> {
    const records = await this.repos.reports.queue(status, limit);
    return Promise.all(records.map((r) => this.moderationView(r)));
  }

  async forModerator(id: string): Promise<ModerationReport> {
    const record = await this.repos.reports.findById(id);
    if (!record) throw new AmphiError("AMPHI_REPORT_NOT_FOUND");
    return this.moderationView(record);
  }

  /** The report with its reporter, the subject as it is now, and how to play the moment. */
  async moderationView(r: ReportRecord): Promise<ModerationReport> {
    const summary = async (id: string | null) => {
      if (!id) return null;
      const a = await this.repos.accounts.findById(id);
      return a ? { id: a.id, handle: a.handle, displayName: a.displayName } : null;
    };
    let space: ModerationReport["subject"]["space"] = null;
    let clip: ModerationReport["subject"]["clip"] = null;
    let account: ModerationReport["subject"]["account"] = null;
    let playback: Playback | null = null;
    if (r.targetType === "space") {
      const doc = await this.deps.spaces.document(r.targetId).catch(() => null);
      if (doc) {
        space = {
          id: doc.id,
          title: doc.title,
          state: doc.state,
          host: doc.host,
          stage: doc.stage.map((e) => e.account),
        };
        account = doc.host;
        const live = doc.state === "live" ? this.deps.livePlaylist(doc.id) : null;
        playback = await this.playbackOf(doc.id, live, r.offsetSeconds);
      }
    } else if (r.targetType === "clip") {
      const found = await this.repos.clips.findById(r.targetId);
      if (found) {
        clip = { id: found.id, spaceId: found.spaceId, createdBy: found.createdBy };
        account = await summary(found.createdBy);
        playback = await this.playbackOf(found.spaceId, null, found.startSeconds);
      }
    } else {
      account = await summary(r.targetId);
    }
    return {
      ...toReport(r),
      priority: r.priority === 0 ? "trusted-flagger" : "normal",
      reporter: await summary(r.reporterId),
      reporterName: r.reporterName,
      reporterEmail: r.reporterEmail,
      subject: { space, clip, account },
      playback,
    };
  }

  /** Live: the Space's playlist; ended and recorded: the recording, at the moment. */
  private async playbackOf(
    spaceId: string,
    livePlaylist: string | null,
    offsetSeconds: number | null,
  ): Promise<Playback | null> {
    if (livePlaylist) {
      return { kind: "live", playlistUrl: livePlaylist, downloadUrl: null, offsetSeconds };
    }
    try {
      const { info } = await this.deps.recordings.recording(spaceId);
      return {
        kind: "recording",
        playlistUrl: info.playlistUrl,
        downloadUrl: info.downloadUrl,
        offsetSeconds,
      };
    } catch {
      return null; // not recorded, deleted or expired: nothing to play
    }
  }
}
