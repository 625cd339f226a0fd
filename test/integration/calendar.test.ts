import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";
import { type IcsComponent, parseIcs, prop, unescapeText, unfoldIcs } from "../support/ics.ts";

let server: TestServer;
let base: string;
const publicUrl = "https://amphi.example";

beforeAll(async () => {
  server = await startTestServer({ publicUrl });
  base = server.url;
});
afterAll(async () => {
  await server?.close();
});

async function schedule(token: string, title: string, inMs = 86_400_000) {
  const scheduledFor = new Date(Date.now() + inMs);
  scheduledFor.setUTCMilliseconds(0);
  const res = await api(base, "POST", "/api/spaces", {
    token,
    body: {
      title,
      description: "Rates; risks, and more",
      scheduledFor: scheduledFor.toISOString(),
    },
  });
  expect(res.status).toBe(201);
  return { id: res.body.space.id as string, scheduledFor };
}

const utc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

function events(text: string): IcsComponent[] {
  return parseIcs(text).components.filter((c) => c.name === "VEVENT");
}

describe("a Space's calendar file", () => {
  it("is an RFC 5545 calendar with one event: UID, UTC start, escaped title, public URL", async () => {
    const host = await signUp(base);
    const { id, scheduledFor } = await schedule(host.token, "Rates, risks; and the year ahead");
    const res = await fetch(`${base}/spaces/${id}.ics`, { headers: { accept: "*/*" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="rates-risks-and-the-year-ahead.ics"',
    );
    const text = await res.text();
    const lines = unfoldIcs(text);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("BEGIN:VEVENT");
    expect(lines).toContain(`UID:${id}@amphi.example`);
    expect(lines).toContain("SUMMARY:Rates\\, risks\\; and the year ahead");
    expect(lines.find((l) => l.startsWith("DTSTART"))).toMatch(/^DTSTART:\d{8}T\d{6}Z$/);
    expect(lines).toContain(`DTSTART:${utc(scheduledFor)}`);
    const [event] = events(text);
    if (!event) throw new Error("no VEVENT");
    expect(prop(event, "URL")).toBe(`${publicUrl}/spaces/${id}`);
    expect(prop(event, "DTSTAMP")).toMatch(/^\d{8}T\d{6}Z$/);
    expect(prop(event, "DTEND")).toBe(utc(new Date(scheduledFor.getTime() + 3_600_000)));
    expect(prop(event, "STATUS")).toBe("CONFIRMED");
    expect(unescapeText(prop(event, "DESCRIPTION"))).toContain("Rates; risks, and more");
    expect(unescapeText(prop(event, "DESCRIPTION"))).toContain(`@${host.handle}`);
    // The same Space gives the same bytes (no clock in it): caches and calendar apps agree.
    expect(await (await fetch(`${base}/spaces/${id}.ics`)).text()).toBe(text);
  });

  it("says CANCELLED, with a higher SEQUENCE, once the Space is cancelled", async () => {
    const host = await signUp(base);
    const { id } = await schedule(host.token, "Maybe");
    const before = events(await (await fetch(`${base}/spaces/${id}.ics`)).text())[0];
    await api(base, "POST", `/api/spaces/${id}/cancel`, { token: host.token });
    const after = events(await (await fetch(`${base}/spaces/${id}.ics`)).text())[0];
    if (!before || !after) throw new Error("no VEVENT");
    expect(prop(after, "UID")).toBe(prop(before, "UID"));
    expect(prop(after, "STATUS")).toBe("CANCELLED");
    expect(Number(prop(after, "SEQUENCE"))).toBeGreaterThan(Number(prop(before, "SEQUENCE")));
  });

  it("answers JSON 404s: an unknown Space, and one with no time yet", async () => {
    const unknown = await api(base, "GET", "/spaces/nosuchspace.ics");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("AMPHI_SPACE_NOT_FOUND");
    const host = await signUp(base);
    const created = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Whenever" },
    });
    const untimed = await api(base, "GET", `/spaces/${created.body.space.id}.ics`);
    expect(untimed.status).toBe(404);
    expect(untimed.body.error).toMatchObject({
      code: "AMPHI_NOT_FOUND",
      details: { reason: "unscheduled" },
    });
    expect(untimed.body.error.message).toMatch(/no start time yet/);
    // Once it starts, its event is at its start.
    await api(base, "POST", `/api/spaces/${created.body.space.id}/start`, { token: host.token });
    const started = await fetch(`${base}/spaces/${created.body.space.id}.ics`);
    expect(started.status).toBe(200);
    expect(events(await started.text())).toHaveLength(1);
  });

  it("leaves the Space page itself to the web app", async () => {
    const host = await signUp(base);
    const { id } = await schedule(host.token, "Page");
    const page = await fetch(`${base}/spaces/${id}`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
  });
});

describe("a host's calendar feed", () => {
  it("lists the host's upcoming and recent Spaces, not others'", async () => {
    const host = await signUp(base);
    const other = await signUp(base);
    const soon = await schedule(host.token, "Soon", 3_600_000);
    const later = await schedule(host.token, "Later", 7 * 86_400_000);
    const dropped = await schedule(host.token, "Dropped");
    await api(base, "POST", `/api/spaces/${dropped.id}/cancel`, { token: host.token });
    const done = await schedule(host.token, "Done");
    await api(base, "POST", `/api/spaces/${done.id}/start`, { token: host.token });
    await api(base, "POST", `/api/spaces/${done.id}/end`, { token: host.token });
    const theirs = await schedule(other.token, "Not the host's");

    const res = await fetch(`${base}/@${host.handle}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`inline; filename="${host.handle}.ics"`);
    const text = await res.text();
    const calendar = parseIcs(text);
    expect(unescapeText(prop(calendar, "X-WR-CALNAME"))).toContain(`@${host.handle}`);
    const byUid = new Map(events(text).map((e) => [prop(e, "UID"), e]));
    expect([...byUid.keys()].sort()).toEqual(
      [soon.id, later.id, dropped.id, done.id].map((id) => `${id}@amphi.example`).sort(),
    );
    expect(byUid.has(`${theirs.id}@amphi.example`)).toBe(false);
    expect(prop(byUid.get(`${dropped.id}@amphi.example`) as IcsComponent, "STATUS")).toBe(
      "CANCELLED",
    );
    expect(prop(byUid.get(`${done.id}@amphi.example`) as IcsComponent, "SEQUENCE")).toBe("2");
  });

  it("answers a JSON 404 for an unknown or invalid handle", async () => {
    for (const handle of ["nobody_at_all", "NOT VALID!"]) {
      const res = await api(base, "GET", `/@${encodeURIComponent(handle)}/calendar.ics`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("AMPHI_ACCOUNT_NOT_FOUND");
    }
  });
});
