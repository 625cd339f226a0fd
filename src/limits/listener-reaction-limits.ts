import { inRanges, networkKeys, parseRanges } from "../protection/network-keys.ts";
import type { Limiter } from "./limiter.ts";

/**
 * The limits of reactions sent with a listener ticket instead of a session: per ticket (its
 * id, which renewals keep) and per address (an IPv4 address or IPv6 /64, so many tickets
 * from one host share one budget). Addresses in `NETWORK_LIMIT_EXEMPT` skip the second.
 */
export class ListenerReactionLimits {
  private readonly exempt: ReturnType<typeof parseRanges>;

  constructor(
    private readonly perTicket: Limiter,
    private readonly perAddress: Limiter,
    exempt: readonly string[] = [],
  ) {
    this.exempt = parseRanges(exempt);
  }

  /** Counts one reaction; throws AMPHI_RATE_LIMITED (with Retry-After) when either is spent. */
  async take(ticketId: string, ip: string): Promise<void> {
    await this.perTicket.take(ticketId);
    const keys = networkKeys(ip);
    if (keys.parsed && this.exempt.length > 0 && inRanges(keys.parsed, this.exempt)) return;
    await this.perAddress.take(keys.address);
  }
}
