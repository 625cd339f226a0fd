import { createHash } from "node:crypto";
import type { AccountSummary } from "../contracts/account-contracts.ts";
import type { SpaceDocument } from "../contracts/space-contracts.ts";
import type { Role } from "../domain/spaces/roles.ts";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";
import type { SpaceSnapshot } from "./space-snapshots.ts";

/** The public Space document's shape is its schema's (src/contracts/space-contracts.ts). */
export type { AccountSummary, SpaceDocument };

export function summary(account: AccountRecord | undefined, id: string): AccountSummary {
  return account
    ? { id: account.id, handle: account.handle, displayName: account.displayName }
    : { id, handle: "unknown", displayName: "Unknown" };
}

const stageOrder: Record<Role, number> = { host: 0, cohost: 1, speaker: 2, listener: 3 };

export function stageOf(snapshot: SpaceSnapshot): SpaceDocument["stage"] {
  const entries: SpaceDocument["stage"] = [];
  for (const p of snapshot.participants.values()) {
    if (p.removed || p.role === "listener") continue;
    entries.push({
      account: summary(snapshot.accounts.get(p.accountId), p.accountId),
      role: p.role,
      muted: p.muted,
    });
  }
  return entries.sort((a, b) => stageOrder[a.role] - stageOrder[b.role]);
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * What a snapshot's document says but its counts, with its version: made once per snapshot
 * (they are replaced, never changed), so a list read many times a second (Live now) neither
 * rebuilds nor rehashes its documents at every read.
 */
const documentsWithoutCounts = new WeakMap<SpaceSnapshot, SpaceDocument>();

export function toSpaceDocument(
  snapshot: SpaceSnapshot,
  live: { listeners: number; reactionsLastSecond: number },
): SpaceDocument {
  let document = documentsWithoutCounts.get(snapshot);
  if (!document) {
    document = buildDocument(snapshot);
    documentsWithoutCounts.set(snapshot, document);
  }
  const isLive = document.state === "live";
  return {
    ...document,
    counts: {
      listeners: isLive ? live.listeners : 0,
      onStage: document.stage.length,
      reactionsLastSecond: isLive ? live.reactionsLastSecond : 0,
    },
  };
}

function buildDocument(snapshot: SpaceSnapshot): SpaceDocument {
  const { space } = snapshot;
  const stage = stageOf(snapshot);
  const document: Omit<SpaceDocument, "version"> = {
    id: space.id,
    title: space.title,
    description: space.description,
    state: space.state,
    host: summary(snapshot.accounts.get(space.hostId), space.hostId),
    scheduledFor: iso(space.scheduledFor),
    startedAt: iso(space.startedAt),
    endedAt: iso(space.endedAt),
    createdAt: space.createdAt.toISOString(),
    recording: space.recording,
    speakerRequests: space.speakerPolicy,
    requireLogin: space.requireLogin,
    stage,
    counts: { listeners: 0, onStage: stage.length, reactionsLastSecond: 0 },
    // The public document names no playlist: the audio's URLs are signed and handed only to
    // people the gate admits (a ticket), so requireLogin and removals protect the audio.
    playlistUrl: null,
    audience: space.audience,
  };
  return { ...document, version: documentVersion(document) };
}

/**
 * The version of a document: a short hash of all it says but the counts, the same on every
 * node for the same Space (no stored counter to keep in step across a fleet or a takeover).
 */
export function documentVersion(document: Omit<SpaceDocument, "version">): string {
  const { counts: _counts, ...rest } = document;
  return createHash("sha1").update(JSON.stringify(rest)).digest("base64url").slice(0, 12);
}

/** The version of the Space's document as it stands in `snapshot`. */
export function versionOf(snapshot: SpaceSnapshot): string {
  return toSpaceDocument(snapshot, { listeners: 0, reactionsLastSecond: 0 }).version;
}
