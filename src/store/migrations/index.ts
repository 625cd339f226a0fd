import type { Migration, MigrationProvider } from "kysely";
import * as foundation from "./0001-foundation.ts";
import * as clips from "./0002-clips.ts";
import * as audience from "./0003-audience.ts";
import * as recordingParts from "./0004-recording-parts.ts";
import * as discovery from "./0005-discovery.ts";
import * as reminders from "./0006-reminders.ts";
import * as notifications from "./0007-notifications.ts";
import * as webhooks from "./0008-webhooks.ts";
import * as sessionDetails from "./0009-session-details.ts";
import * as recordingDeletion from "./0010-recording-deletion.ts";
import * as moderation from "./0011-moderation.ts";
import * as accountBlocks from "./0012-account-blocks.ts";

/** Migrations live in code, in order; the key is the name recorded in the database. */
const migrations: Record<string, Migration> = {
  "0001-foundation": foundation,
  "0002-clips": clips,
  "0003-audience": audience,
  "0004-recording-parts": recordingParts,
  "0005-discovery": discovery,
  "0006-reminders": reminders,
  "0007-notifications": notifications,
  "0008-webhooks": webhooks,
  "0009-session-details": sessionDetails,
  "0010-recording-deletion": recordingDeletion,
  "0011-moderation": moderation,
  "0012-account-blocks": accountBlocks,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
