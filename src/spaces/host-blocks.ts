import type { Bus } from "../bus/bus.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { BlockRecord } from "../store/repositories/blocks-repository.ts";
import type { Repositories } from "../store/repositories/index.ts";
import type { SpaceEvents } from "./events.ts";
import type { SpacesService } from "./spaces-service.ts";

/**
 * Hosts block people from their Spaces, account-wide: a blocked person gets no listener
 * ticket (nor a renewal of one), no request to speak and no reaction in any Space the host
 * runs (403 AMPHI_BLOCKED_BY_HOST), and is removed from the stage of the host's open Spaces
 * at once. The checks read the Space snapshot and the admission directory, both refreshed by
 * the `spaceChanged` each block sends for the host's live and scheduled Spaces.
 */
export class HostBlocks {
  constructor(
    private readonly repos: Repositories,
    private readonly spaces: SpacesService,
    private readonly bus: Bus<SpaceEvents>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async block(hostId: string, handle: string): Promise<BlockRecord> {
    const target = await this.repos.accounts.findByHandle(handle);
    if (!target) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    if (target.id === hostId) throw new AmphiError("AMPHI_CANNOT_BLOCK_SELF");
    const blockedAt = await this.repos.blocks.block(hostId, target.id, this.now());
    for (const spaceId of await this.openSpacesOf(hostId)) {
      // Removed from the stage, requests and invitations where present (as the host would).
      const participant = await this.repos.participants.find(spaceId, target.id);
      if (participant && !participant.removed) {
        await this.spaces.stageAction(spaceId, hostId, "remove", handle).catch(() => {});
      }
      this.bus.publish("spaceChanged", { spaceId, accountIds: [target.id] });
    }
    return { account: target, blockedAt };
  }

  async unblock(hostId: string, handle: string): Promise<void> {
    const target = await this.repos.accounts.findByHandle(handle);
    if (!target) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    await this.repos.blocks.unblock(hostId, target.id);
    for (const spaceId of await this.openSpacesOf(hostId)) {
      this.bus.publish("spaceChanged", { spaceId, accountIds: [target.id] });
    }
  }

  list(hostId: string): Promise<BlockRecord[]> {
    return this.repos.blocks.list(hostId);
  }

  private async openSpacesOf(hostId: string): Promise<string[]> {
    const [live, scheduled] = await Promise.all([
      this.repos.spaces.list({ state: "live", hostId, limit: 1000 }),
      this.repos.spaces.list({ state: "scheduled", hostId, limit: 1000 }),
    ]);
    return [...live, ...scheduled].map((s) => s.id);
  }
}
