import type { Operation } from "./fuzz-operations.ts";
import type { Identity } from "./fuzz-requests.ts";

interface Answer {
  status: number;
  body: any;
}

async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // a page or media
  }
  return { status: res.status, body: parsed };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Person {
  handle: string;
  password: string;
  token: string;
}

/** Handles that exist on the server, kept apart from the ids. */
const handleParam = (name: string) => name === "handle" || /Handle$/.test(name);

/** The kind of thing a path parameter names: `clipId` -> clip, `/api/webhooks/{id}` -> webhook. */
function kindOf(op: Operation, param: string): string {
  if (param !== "id" && param.endsWith("Id")) return param.slice(0, -2);
  const before = op.path.split(`/{${param}}`)[0]?.split("/").pop() ?? "";
  const singular = before.replace(/ies$/, "y").replace(/s$/, "");
  if (singular === "recording" || singular === "hls" || singular === "embed" || singular === "")
    return "space";
  return singular;
}

/**
 * What the fuzz runs against: accounts (a host, a member, and a third person to name), the
 * host's live Space, a scheduled one, an ended recorded one with a clip, a webhook, sessions,
 * a push subscription, a reminder, a request to speak. Ids and handles seen in successful
 * answers join the pools, so routes added later get real ids too. Sessions a fuzzed request
 * ended (log out, log out everywhere) are renewed; a Space the fuzz ended is replaced.
 */
export class FuzzFixture {
  readonly people = new Map<Exclude<Identity, "anonymous" | "operator">, Person>();
  private readonly ids = new Map<string, string[]>();
  private readonly handles: string[] = [];
  private liveSpaceId = "";
  private readonly fixed = new Set<string>();
  private renewing = new Map<string, Promise<void>>();
  private janitor: NodeJS.Timeout | undefined;
  private sweeping = false;
  notes: string[] = [];

  constructor(
    readonly base: string,
    readonly opsToken: string | undefined,
  ) {}

  static async create(
    base: string,
    options: { opsToken?: string; recording?: boolean } = {},
  ): Promise<FuzzFixture> {
    const fixture = new FuzzFixture(base, options.opsToken);
    await fixture.build(options.recording ?? true);
    return fixture;
  }

  private async signUp(prefix: string): Promise<Person> {
    const handle = `${prefix}_${Math.random().toString(36).slice(2, 10)}`.slice(0, 20);
    const password = `fixture password ${Math.random()}`;
    const res = await call(this.base, "POST", "/api/accounts", undefined, {
      handle,
      displayName: `Fuzz ${prefix}`,
      password,
    });
    if (res.status !== 201)
      throw new Error(`fixture sign-up: ${res.status} ${JSON.stringify(res.body)}`);
    return { handle, password, token: res.body.token };
  }

  private remember(kind: string, id: string, fixed = false): void {
    const list = this.ids.get(kind) ?? [];
    if (!list.includes(id)) {
      list.push(id);
      // Keep the fixture's own values; let harvested ones rotate.
      if (list.length > 64) {
        const drop = list.findIndex((v) => !this.fixed.has(v));
        if (drop >= 0) list.splice(drop, 1);
      }
    }
    this.ids.set(kind, list);
    if (fixed) this.fixed.add(id);
  }

  private async build(recording: boolean): Promise<void> {
    const host = await this.signUp("fz_host");
    const member = await this.signUp("fz_member");
    const other = await this.signUp("fz_other");
    this.people.set("host", host);
    this.people.set("member", member);
    this.handles.push(host.handle, member.handle, other.handle);
    for (const h of this.handles) this.fixed.add(h);

    await call(this.base, "PUT", `/api/accounts/${host.handle}/follow`, member.token);
    await this.startLiveSpace();
    const scheduled = await call(this.base, "POST", "/api/spaces", host.token, {
      title: "Fuzz scheduled",
      scheduledFor: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    });
    if (scheduled.status === 201) {
      this.remember("space", scheduled.body.space.id, true);
      await call(
        this.base,
        "PUT",
        `/api/spaces/${scheduled.body.space.id}/reminder`,
        member.token,
        {},
      );
    }
    if (recording) await this.recordedSpaceWithClip(host, member);
    const hook = await call(this.base, "POST", "/api/webhooks", host.token, {
      url: "https://203.0.114.1/hook",
      events: ["space.live"],
    });
    if (hook.status === 201) this.remember("webhook", hook.body.webhook?.id ?? hook.body.id, true);
    else this.notes.push(`no webhook: ${hook.status}`);
    await call(this.base, "POST", "/api/push/subscriptions", member.token, {
      endpoint: "https://push.example.com/send/fuzz",
      keys: {
        p256dh:
          "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        auth: "tBHItJI5svbpez7KI4CCXg",
      },
    });
    for (const person of [host, member]) {
      const sessions = await call(this.base, "GET", "/api/sessions", person.token);
      if (sessions.status === 200) this.harvest(sessions.body, true);
    }
    this.janitor = setInterval(() => void this.sweep(), 2_000);
  }

  private async startLiveSpace(): Promise<void> {
    const host = this.people.get("host") as Person;
    const member = this.people.get("member") as Person;
    const live = await call(this.base, "POST", "/api/spaces", host.token, {
      title: "Fuzz live",
      startNow: true,
    });
    if (live.status !== 201) {
      this.notes.push(`no live Space: ${live.status} ${JSON.stringify(live.body)}`);
      return;
    }
    this.liveSpaceId = live.body.space.id;
    this.remember("space", this.liveSpaceId, true);
    await call(this.base, "POST", `/api/spaces/${this.liveSpaceId}/requests`, member.token);
  }

  private async recordedSpaceWithClip(host: Person, member: Person): Promise<void> {
    const created = await call(this.base, "POST", "/api/spaces", host.token, {
      title: "Fuzz recorded",
      startNow: true,
      recording: true,
    });
    if (created.status !== 201) return void this.notes.push(`no recorded Space: ${created.status}`);
    const id = created.body.space.id as string;
    this.remember("space", id, true);
    await sleep(5_000);
    await call(this.base, "POST", `/api/spaces/${id}/end`, host.token);
    for (let i = 0; i < 40; i++) {
      if ((await call(this.base, "GET", `/api/spaces/${id}/recording`)).status === 200) break;
      await sleep(500);
    }
    const clip = await call(this.base, "POST", `/api/spaces/${id}/clips`, member.token, {
      startSeconds: 0,
      endSeconds: 0.5,
    });
    if (clip.status === 201) this.remember("clip", clip.body.clip.id, true);
    else this.notes.push(`no clip: ${clip.status} ${JSON.stringify(clip.body)}`);
  }

  tokenOf(identity: Identity): string | undefined {
    if (identity === "anonymous") return undefined;
    if (identity === "operator") return this.opsToken;
    return this.people.get(identity)?.token;
  }

  valuesFor(op: Operation, param: string): string[] {
    if (handleParam(param)) return this.handles;
    if (param === "file") return ["init.mp4", "index.m3u8", "vod.m3u8", "p0.0.m4s", "s0.m4s"];
    const kind = kindOf(op, param);
    const own = this.ids.get(kind);
    if (own?.length) return own;
    return [...this.ids.values()].flat();
  }

  /** Ids and handles from a successful answer: `{ clip: { id } }` adds a clip id. */
  harvest(body: unknown, fixed = false, kind = ""): void {
    if (Array.isArray(body)) {
      for (const item of body.slice(0, 20)) this.harvest(item, fixed, kind);
      return;
    }
    if (!body || typeof body !== "object") return;
    const record = body as Record<string, unknown>;
    if (typeof record.id === "string" && record.id.length <= 100 && kind) {
      this.remember(kind.replace(/ies$/, "y").replace(/s$/, ""), record.id, fixed);
    }
    for (const [key, value] of Object.entries(record)) {
      if (value && typeof value === "object") this.harvest(value, fixed, key);
    }
  }

  /** A session the fuzz ended is renewed by logging in again (once at a time per person). */
  async renew(identity: Identity): Promise<void> {
    if (identity === "anonymous" || identity === "operator") return;
    const pending = this.renewing.get(identity);
    if (pending) return pending;
    const person = this.people.get(identity) as Person;
    const job = (async () => {
      const before = person.token;
      const check = await call(this.base, "GET", "/api/accounts/me", before);
      if (check.status === 200) return;
      const res = await call(this.base, "POST", "/api/sessions", undefined, {
        handle: person.handle,
        password: person.password,
      });
      if (res.status === 200) person.token = res.body.token;
      else
        this.notes.push(`could not renew ${identity}: ${res.status} ${JSON.stringify(res.body)}`);
    })().finally(() => this.renewing.delete(identity));
    this.renewing.set(identity, job);
    return job;
  }

  /**
   * Every 2 s: Spaces the fuzz made live are ended (each would otherwise mix and record), and
   * the fixture's live Space is replaced if the fuzz ended it.
   */
  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const person of this.people.values()) {
        const live = await call(
          this.base,
          "GET",
          `/api/spaces?state=live&host=${person.handle}&limit=100`,
        );
        for (const space of (live.body?.spaces ?? []) as { id: string }[]) {
          if (space.id !== this.liveSpaceId) {
            await call(this.base, "POST", `/api/spaces/${space.id}/end`, person.token);
          }
        }
      }
      const current = await call(this.base, "GET", `/api/spaces/${this.liveSpaceId}`);
      if (current.body?.space?.state !== "live" && current.body?.state !== "live") {
        await this.startLiveSpace();
      }
    } catch {
      // the next sweep tries again
    } finally {
      this.sweeping = false;
    }
  }

  close(): void {
    clearInterval(this.janitor);
  }
}
