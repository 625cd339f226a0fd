import { randomBytes } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { SigningKey } from "./ticket-keys.ts";

/** What a listener ticket says: who may listen to which Space, until when. */
export interface TicketClaims {
  ticketId: string;
  spaceId: string;
  accountId: string | null;
  expiresAt: Date;
}

/** What a queue token says: which place in which Space's line its holder has. */
export interface QueueClaims {
  spaceId: string;
  entryId: string;
}

const ticketAudience = "amphi:listener-ticket";
const queueAudience = "amphi:queue";

/**
 * Signs and checks listener tickets and queue tokens (JWT, HS256, jose) with no database:
 * joining is a signature. The key id in the header lets keys rotate: the first key signs,
 * every configured key verifies.
 */
export class TicketSigner {
  private readonly byKid: Map<string, Uint8Array>;
  private readonly signing: SigningKey;

  constructor(
    keys: readonly SigningKey[],
    private readonly ttlSeconds: number,
    private readonly queueTtlSeconds = 6 * 3600,
  ) {
    const first = keys[0];
    if (!first) throw new Error("at least one ticket key is needed");
    this.signing = first;
    this.byKid = new Map(keys.map((k) => [k.kid, k.secret]));
  }

  async issueTicket(
    spaceId: string,
    accountId: string | null,
    nowMs = Date.now(),
  ): Promise<{ token: string; claims: TicketClaims }> {
    const ticketId = randomBytes(12).toString("base64url");
    return this.renewTicket({ ticketId, spaceId, accountId, expiresAt: new Date(nowMs) }, nowMs);
  }

  /** The claims of a valid, unexpired ticket; null for anything else. */
  async verifyTicket(token: string, nowMs = Date.now()): Promise<TicketClaims | null> {
    const payload = await this.verify(token, ticketAudience, nowMs);
    if (!payload || typeof payload.spc !== "string" || typeof payload.jti !== "string") return null;
    return {
      ticketId: payload.jti,
      spaceId: payload.spc,
      accountId: typeof payload.sub === "string" ? payload.sub : null,
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  }

  /** A renewed ticket: same id (it is the same listener), fresh expiry, current key. */
  async renewTicket(
    claims: TicketClaims,
    nowMs = Date.now(),
  ): Promise<{ token: string; claims: TicketClaims }> {
    const exp = Math.floor(nowMs / 1000) + this.ttlSeconds;
    const token = await new SignJWT({
      spc: claims.spaceId,
      ...(claims.accountId ? { sub: claims.accountId } : {}),
    })
      .setProtectedHeader({ alg: "HS256", kid: this.signing.kid })
      .setJti(claims.ticketId)
      .setAudience(ticketAudience)
      .setIssuedAt(Math.floor(nowMs / 1000))
      .setExpirationTime(exp)
      .sign(this.signing.secret);
    return { token, claims: { ...claims, expiresAt: new Date(exp * 1000) } };
  }

  async issueQueueToken(claims: QueueClaims, nowMs = Date.now()): Promise<string> {
    return new SignJWT({ spc: claims.spaceId, qid: claims.entryId })
      .setProtectedHeader({ alg: "HS256", kid: this.signing.kid })
      .setAudience(queueAudience)
      .setIssuedAt(Math.floor(nowMs / 1000))
      .setExpirationTime(Math.floor(nowMs / 1000) + this.queueTtlSeconds)
      .sign(this.signing.secret);
  }

  async verifyQueueToken(token: string, nowMs = Date.now()): Promise<QueueClaims | null> {
    const payload = await this.verify(token, queueAudience, nowMs);
    if (!payload || typeof payload.spc !== "string" || typeof payload.qid !== "string") return null;
    return { spaceId: payload.spc, entryId: payload.qid };
  }

  private async verify(token: string, audience: string, nowMs: number) {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const secret = header.kid ? this.byKid.get(header.kid) : undefined;
          if (!secret) throw new joseErrors.JWKSNoMatchingKey();
          return secret;
        },
        { audience, algorithms: ["HS256"], currentDate: new Date(nowMs) },
      );
      return payload;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }
}
