import type { ColumnType, Generated } from "kysely";

/** Timestamps come back as Date, go in as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in when the insert leaves it out. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AccountsTable {
  id: string;
  handle: string;
  display_name: string;
  bio: Generated<string>;
  password_hash: string;
  created_at: DefaultTimestamp;
}

export interface SessionsTable {
  /** SHA-256 of the token: the key, never shown. */
  token_hash: string;
  /** The public id people see and end a session by (0009). */
  id: string;
  account_id: string;
  user_agent: Generated<string>;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
}

/** A browser that logged in to an account: SHA-256 of its "known device" cookie (0009). */
export interface KnownDevicesTable {
  account_id: string;
  device_hash: string;
  created_at: DefaultTimestamp;
  last_used_at: DefaultTimestamp;
}

export interface AccountBlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: DefaultTimestamp;
}

export interface FollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: DefaultTimestamp;
}

export interface SpacesTable {
  id: string;
  host_id: string;
  title: string;
  description: string;
  state: string;
  scheduled_for: Timestamp | null;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  recording: boolean;
  speaker_policy: string;
  require_login: Generated<boolean>;
  peak_listeners: number | null;
  unique_listeners: number | null;
  /** The recording was deleted (0010): when, and by `host` or `retention`. */
  recording_deleted_at: ColumnType<Date | string | null, Date | null | undefined, Date | null>;
  recording_deleted_by: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SpaceParticipantsTable {
  space_id: string;
  account_id: string;
  role: string;
  pending: string;
  muted: boolean;
  removed: boolean;
  updated_at: DefaultTimestamp;
}

export interface ClipsTable {
  id: string;
  space_id: string;
  created_by: string;
  start_seconds: number;
  end_seconds: number;
  created_at: DefaultTimestamp;
}

export interface RecordingsTable {
  space_id: string;
  /** bigint: comes back as a string from node-postgres, as a number from PGlite. */
  owner_epoch: ColumnType<string | number | bigint, number, number>;
  init: Uint8Array;
  created_at: DefaultTimestamp;
}

export interface RecordingPartsTable {
  space_id: string;
  msn: ColumnType<string | number | bigint, number, number>;
  part_index: number;
  duration: number;
  started_at: ColumnType<string | number | bigint, number, number>;
  discontinuity: boolean;
  epoch: ColumnType<string | number | bigint, number, number>;
  bytes: Uint8Array;
}

/** bigint: a string from node-postgres, a number from PGlite. */
type BigId = ColumnType<string | number, never, never>;

export interface NotificationsTable {
  id: BigId;
  account_id: string;
  kind: string;
  space_id: string | null;
  actor_id: string | null;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  dedupe_key: string;
  created_at: DefaultTimestamp;
  read_at: Timestamp | null;
  pushed_at: Timestamp | null;
}

export interface NotificationPreferencesTable {
  account_id: string;
  push: Generated<boolean>;
  quiet_start: string | null;
  quiet_end: string | null;
  time_zone: string | null;
  updated_at: DefaultTimestamp;
}

export interface NotificationMutesTable {
  account_id: string;
  muted_id: string;
  created_at: DefaultTimestamp;
}

export interface PushSubscriptionsTable {
  endpoint: string;
  account_id: string;
  p256dh: string;
  auth: string;
  created_at: DefaultTimestamp;
}

export interface ServerKeysTable {
  name: string;
  value: ColumnType<Record<string, unknown>, string, string>;
  created_at: DefaultTimestamp;
}

export interface SpaceListenersTable {
  space_id: string;
  account_id: string;
  first_seen_at: DefaultTimestamp;
}

export interface NotificationFanoutsTable {
  dedupe_key: string;
  kind: string;
  space_id: string | null;
  audience: number;
  batches: number | null;
  spread_seconds: number;
  created_at: DefaultTimestamp;
  planned_at: Timestamp | null;
}

export interface NotificationFanoutBatchesTable {
  dedupe_key: string;
  batch_no: number;
  written: number;
  done_at: DefaultTimestamp;
}

export interface WebhookEndpointsTable {
  id: string;
  account_id: string;
  url: string;
  /** The event types, comma-separated. */
  events: string;
  /** `whsec_...` (Standard Webhooks): the endpoint's HMAC key, needed to sign. */
  secret: string;
  status: ColumnType<string, string | undefined, string>;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  last_success_at: Timestamp | null;
  last_failure_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface WebhookMessagesTable {
  id: string;
  endpoint_id: string;
  event_type: string;
  /** The exact JSON body that is signed and sent, the same on every attempt. */
  body: string;
  created_at: DefaultTimestamp;
}

export interface WebhookDeliveriesTable {
  /** bigserial: a string from node-postgres, a number from PGlite. */
  id: ColumnType<string | number, never, never>;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  attempt: number;
  outcome: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Timestamp;
  next_retry_at: Timestamp | null;
}

export interface SpaceRemindersTable {
  space_id: string;
  account_id: string;
  at_24h: boolean;
  at_1h: boolean;
  at_start: boolean;
  created_at: DefaultTimestamp;
}

/** A role granted on the command line (0011). */
export interface AccountRolesTable {
  account_id: string;
  role: string;
  granted_at: DefaultTimestamp;
}

/** A notice (DSA Art. 16) (0011). */
export interface ReportsTable {
  id: string;
  target_type: string;
  target_id: string;
  offset_seconds: number | null;
  moment: string | null;
  category: string;
  ground: string;
  explanation: string;
  reporter_id: string | null;
  reporter_name: string | null;
  reporter_email: string | null;
  token_hash: string;
  source: string;
  /** 0: a trusted flagger's, 1: anyone's. The queue is (priority, created_at). */
  priority: number;
  status: Generated<string>;
  created_at: DefaultTimestamp;
  decided_at: Timestamp | null;
  decision_action: string | null;
  statement_id: string | null;
}

/** A statement of reasons (DSA Art. 17) (0011). */
export interface StatementsTable {
  id: string;
  kind: string;
  action: string;
  restrictive: boolean;
  report_id: string | null;
  reverses_statement_id: string | null;
  affected_account_id: string | null;
  subject_type: string;
  subject_id: string;
  ground: string;
  category: string;
  dsa_category: string;
  legal_ground: string | null;
  terms_clause: string | null;
  explanation: string;
  facts: string;
  source: string;
  /** JSON array of country codes. */
  territorial_scope: string;
  starts_at: Timestamp;
  ends_at: Timestamp | null;
  note: string | null;
  moderator_id: string | null;
  created_at: Timestamp;
}

/** What a decision took away, until when, and whether an appeal gave it back (0011). */
export interface RestrictionsTable {
  id: string;
  statement_id: string;
  kind: string;
  subject_type: string;
  subject_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp | null;
  lifted_at: Timestamp | null;
}

/** An appeal (DSA Art. 20) (0011). */
export interface AppealsTable {
  id: string;
  statement_id: string;
  appellant: string;
  appellant_account_id: string | null;
  explanation: string;
  status: Generated<string>;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision_explanation: string | null;
  reversal_statement_id: string | null;
}

/** The append-only, hash-chained audit log (0011). */
export interface AuditLogTable {
  seq: ColumnType<string | number, number, never>;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface Database {
  account_roles: AccountRolesTable;
  reports: ReportsTable;
  statements: StatementsTable;
  restrictions: RestrictionsTable;
  appeals: AppealsTable;
  audit_log: AuditLogTable;
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  notification_mutes: NotificationMutesTable;
  push_subscriptions: PushSubscriptionsTable;
  server_keys: ServerKeysTable;
  space_listeners: SpaceListenersTable;
  notification_fanouts: NotificationFanoutsTable;
  notification_fanout_batches: NotificationFanoutBatchesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_messages: WebhookMessagesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  recordings: RecordingsTable;
  recording_parts: RecordingPartsTable;
  clips: ClipsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  known_devices: KnownDevicesTable;
  follows: FollowsTable;
  account_blocks: AccountBlocksTable;
  spaces: SpacesTable;
  space_participants: SpaceParticipantsTable;
  space_reminders: SpaceRemindersTable;
}
