/**
 * The JSON shapes of the Amphi API. Each comes from the server's own schema in src/contracts/
 * (zod; also the OpenAPI document at /api/openapi.json), imported as a type only: the checker
 * sees the schemas, the bundle gets no zod. A field added to a schema is here at once.
 */

export type {
  Account,
  AccountSummary,
  ChangePasswordInput,
  LogInInput,
  Profile,
  Session,
  SessionInfo,
  SignUpInput,
  UpdateProfileInput,
} from "../../../src/contracts/account-contracts.ts";
export type {
  DiscoveredSpaces,
  Explore,
  HomeFeed,
  HostClips,
  HostSpaces,
  PastSpace,
  PopularAccount,
  Replay,
  SearchResults,
  SearchType,
} from "../../../src/contracts/discovery-contracts.ts";
export type { ErrorBody } from "../../../src/contracts/error-contract.ts";
export type {
  HeartbeatAnswer,
  QueueAnswer,
  QueuePhase,
  QueuePlace,
  TicketGrant,
  TicketRequest,
} from "../../../src/contracts/listening-contracts.ts";
export type {
  AccountRole,
  Appeal,
  AppealDecisionInput,
  AppealInput,
  CreatedReport,
  CreateReportInput,
  DecisionInput,
  ModerationAction,
  ModerationAppeal,
  ModerationGround,
  ModerationReport,
  Playback,
  Report,
  ReportCategory,
  ReportReceipt,
  ReportTargetType,
  Statement,
  TransparencyReport,
} from "../../../src/contracts/moderation-contracts.ts";
export type {
  MarkReadInput,
  Notification,
  NotificationPage,
  NotificationPreferences,
  NotificationPush,
  QuietHoursInput,
  UpdatePreferencesInput,
} from "../../../src/contracts/notification-contracts.ts";
export type {
  Clip,
  CreateClipInput,
  Recording,
  RecordingStatus,
} from "../../../src/contracts/recording-contracts.ts";
export type {
  AudienceForecast,
  Reminder,
  ReminderInput,
} from "../../../src/contracts/reminder-contracts.ts";
export type {
  Audience,
  CreateSpaceInput,
  MyStanding,
  SpaceCounts as Counts,
  SpaceDocument,
  StageEntry,
} from "../../../src/contracts/space-contracts.ts";
export type {
  CreatedWebhookEndpoint,
  CreateWebhookInput,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
  WebhookStatus,
} from "../../../src/contracts/webhook-contracts.ts";
export type { Standing } from "../../../src/domain/spaces/permissions.ts";
export {
  type ReactionEmoji,
  type ReactionSample,
  reactionEmojis,
} from "../../../src/domain/spaces/reactions.ts";
export type { Role } from "../../../src/domain/spaces/roles.ts";
export type { SpaceState } from "../../../src/domain/spaces/space-lifecycle.ts";
export type { Pending, SpeakerRequestPolicy } from "../../../src/domain/spaces/stage.ts";

import type { QueueAnswer, TicketGrant } from "../../../src/contracts/listening-contracts.ts";

/** The states a list of Spaces can be asked for (`GET /api/spaces?state=`). */
export type ListableState = "live" | "scheduled" | "ended";

/** Either answer of `POST /api/spaces/:id/tickets`: a ticket (200) or a place in line (202). */
export type TicketAnswer = TicketGrant | QueueAnswer;
