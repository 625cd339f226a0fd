import type { AccountsService } from "../accounts/accounts-service.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { RecordingsService } from "../recordings/recordings-service.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { ShareSubject } from "./share-subject.ts";

export interface ShareSubjectSources {
  spaces: SpacesService;
  recordings: RecordingsService;
  accounts: AccountsService;
}

const notFound = new Set([
  "AMPHI_SPACE_NOT_FOUND",
  "AMPHI_CLIP_NOT_FOUND",
  "AMPHI_ACCOUNT_NOT_FOUND",
  "AMPHI_RECORDING_NOT_FOUND",
  "AMPHI_RECORDING_DELETED",
]);

/** null for "there is no such thing"; any other failure goes on. */
async function orNull<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof AmphiError && notFound.has(error.code)) return null;
    throw error;
  }
}

/**
 * Loads what a shared link points at (Space, clip, profile) for its page head, card, oEmbed
 * answer. Found subjects are kept `ttlMs` (a link posted to a busy channel is unfurled by
 * many clients at once; a few seconds of staleness in a listener count is fine); misses are
 * not kept, so requests for random ids cannot push real entries out. Concurrent loads of the
 * same subject share one.
 */
export class ShareSubjects {
  private readonly entries = new Map<string, { at: number; value: Promise<ShareSubject | null> }>();

  constructor(
    private readonly sources: ShareSubjectSources,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  space(id: string): Promise<ShareSubject | null> {
    return this.cached(`space:${id}`, async () => {
      const space = await orNull(this.sources.spaces.document(id));
      if (!space) return null;
      return { kind: "space", space, replaySeconds: await this.replaySeconds(space) };
    });
  }

  clip(id: string): Promise<ShareSubject | null> {
    return this.cached(`clip:${id}`, async () => {
      const found = await orNull(this.sources.recordings.clip(id));
      if (!found) return null;
      const space = await orNull(this.sources.spaces.document(found.clip.spaceId));
      if (!space) return null;
      const { startSeconds, endSeconds } = found.clip;
      return { kind: "clip", clip: { id, startSeconds, endSeconds }, space };
    });
  }

  profile(handle: string): Promise<ShareSubject | null> {
    return this.cached(`profile:${handle}`, async () => {
      const profile = await orNull(this.sources.accounts.profile(handle, null));
      if (!profile) return null;
      const { displayName, bio, followers } = profile;
      return { kind: "profile", account: { handle: profile.handle, displayName, bio }, followers };
    });
  }

  private async replaySeconds(space: { id: string; state: string; recording: boolean }) {
    if (space.state !== "ended" || !space.recording) return null;
    const recording = await orNull(this.sources.recordings.recording(space.id));
    return recording ? recording.info.durationSeconds : null;
  }

  private cached(
    key: string,
    load: () => Promise<ShareSubject | null>,
  ): Promise<ShareSubject | null> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(key, { at: now, value });
    const forget = () => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    };
    value.then((found) => found ?? forget(), forget);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }
}
