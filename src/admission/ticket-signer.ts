import { createHmac, randomUUID, webcrypto } from "node:crypto";
import { errors as joseErrors, jwtVerify } from "jose";
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
 * Signs and checks listener tickets and queue tokens (JWT, HS256) with no database: joining
 * is a signature. The key id in the header lets keys rotate: the first key signs, every
 * configured key verifies.
 *
 * Verifying untrusted tokens is jose's job (parsing, algorithm pinning, claims, expiry).
 * Minting is a plain HMAC over our own header and claims: jose's WebCrypto signing measured
 * 80-150 µs per token here against ~10 µs for node:crypto, and minting is the whole cost of
 * a join (docs/decisions.md). The tokens are standard compact JWS; tests check that jose
 * verifies what we mint and that we accept what jose signs.
 */
export class TicketSigner {
  private readonly verifyKeys: Map<string, Promise<webcrypto.CryptoKey>>;
  private readonly signing: SigningKey;
  private readonly encodedHeader: string;

  constructor(
    keys: readonly SigningKey[],
    private readonly ttlSeconds: number,
    private readonly queueTtlSeconds = 6 * 3600,
  ) {
    const first = keys[0];
    if (!first) throw new Error("at least one ticket key is needed");
    this.signing = first;
    this.encodedHeader = base64url(JSON.stringify({ alg: "HS256", kid: first.kid, typ: "JWT" }));
    // Imported once: importing a key per verification cost as much as the HMAC itself.
    this.verifyKeys = new Map(
      keys.map((k) => [
        k.kid,
        webcrypto.subtle.importKey("raw", k.secret, { name: "HMAC", hash: "SHA-256" }, false, [
          "verify",
        ]),
      ]),
    );
  }

  /** Minting is synchronous (an HMAC): no promise on the path every join takes. */
  issueTicket(
    spaceId: string,
    accountId: string | null,
    nowMs = Date.now(),
  ): { token: string; claims: TicketClaims } {
    return this.signTicket(randomUUID().replaceAll("-", ""), spaceId, accountId, nowMs);
  }

  /** A renewed ticket: same id (it is the same listener), fresh expiry, current key. */
  renewTicket(claims: TicketClaims, nowMs = Date.now()): { token: string; claims: TicketClaims } {
    return this.signTicket(claims.ticketId, claims.spaceId, claims.accountId, nowMs);
  }

  /** Plain object literals, no spreads: this runs for every join and every heartbeat. */
  private signTicket(
    ticketId: string,
    spaceId: string,
    accountId: string | null,
    nowMs: number,
  ): { token: string; claims: TicketClaims } {
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + this.ttlSeconds;
    const token = this.mint(
      accountId
        ? { spc: spaceId, sub: accountId, jti: ticketId, aud: ticketAudience, iat, exp }
        : { spc: spaceId, jti: ticketId, aud: ticketAudience, iat, exp },
    );
    return { token, claims: { ticketId, spaceId, accountId, expiresAt: new Date(exp * 1000) } };
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

  issueQueueToken(claims: QueueClaims, nowMs = Date.now()): string {
    const iat = Math.floor(nowMs / 1000);
    return this.mint({
      spc: claims.spaceId,
      qid: claims.entryId,
      aud: queueAudience,
      iat,
      exp: iat + this.queueTtlSeconds,
    });
  }

  async verifyQueueToken(token: string, nowMs = Date.now()): Promise<QueueClaims | null> {
    const payload = await this.verify(token, queueAudience, nowMs);
    if (!payload || typeof payload.spc !== "string" || typeof payload.qid !== "string") return null;
    return { spaceId: payload.spc, entryId: payload.qid };
  }

  private mint(claims: Record<string, unknown>): string {
    const input = `${this.encodedHeader}.${base64url(JSON.stringify(claims))}`;
    const signature = createHmac("sha256", this.signing.secret).update(input).digest("base64url");
    return `${input}.${signature}`;
  }

  private async verify(token: string, audience: string, nowMs: number) {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = header.kid ? this.verifyKeys.get(header.kid) : undefined;
          if (!key) throw new joseErrors.JWKSNoMatchingKey();
          return key;
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

function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}
