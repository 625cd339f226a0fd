import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isOnStage, stageLimits } from "./roles.ts";
import type { SpaceState } from "./space-lifecycle.ts";
import {
  decideStageAction,
  listener,
  type Participant,
  type SpeakerRequestPolicy,
  type StageActionName,
  type StageContext,
  type StageDecision,
  stageCounts,
  standingOf,
} from "./stage.ts";

const HOST = "host";

function person(accountId: string, patch: Partial<Participant> = {}): Participant {
  return { ...listener(accountId), ...patch };
}

/** A live Space with the host on stage (unmuted) and whoever else is given. */
function space(
  others: Participant[] = [],
  options: { state?: SpaceState; policy?: SpeakerRequestPolicy; hostFollowsActor?: boolean } = {},
): StageContext {
  const participants = new Map<string, Participant>();
  for (const p of [person(HOST, { role: "host" }), ...others]) participants.set(p.accountId, p);
  const ctx: StageContext = {
    state: options.state ?? "live",
    policy: options.policy ?? "everyone",
    participants,
  };
  if (options.hostFollowsActor !== undefined) ctx.hostFollowsActor = options.hostFollowsActor;
  return ctx;
}

/** The context after an accepted decision's changes are stored. */
function apply(ctx: StageContext, decision: StageDecision): StageContext {
  if (!decision.ok) throw new Error(`refused: ${decision.code} ${decision.message ?? ""}`);
  const participants = new Map(ctx.participants);
  for (const change of decision.changes) participants.set(change.accountId, change);
  return { ...ctx, participants };
}

/** Decides and applies, failing the test on a refusal. */
function act(
  ctx: StageContext,
  actor: string | null,
  action: StageActionName,
  target?: string,
): StageContext {
  return apply(ctx, decideStageAction(ctx, actor, action, target));
}

function refusal(decision: StageDecision): string | null {
  return decision.ok ? null : decision.code;
}

const speakers = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => person(`speaker${from + i}`, { role: "speaker" }));
const cohosts = (n: number) =>
  Array.from({ length: n }, (_, i) => person(`cohost${i}`, { role: "cohost" }));

describe("standing", () => {
  test("anonymous without an account, listener when unknown, removed wins over a role", () => {
    const ctx = space([person("gone", { removed: true }), person("sp", { role: "speaker" })]);
    expect(standingOf(ctx, null)).toBe("anonymous");
    expect(standingOf(ctx, "stranger")).toBe("listener");
    expect(standingOf(ctx, HOST)).toBe("host");
    expect(standingOf(ctx, "sp")).toBe("speaker");
    expect(standingOf(ctx, "gone")).toBe("removed");
  });

  test("stageCounts leaves removed people out", () => {
    const counts = stageCounts([
      person(HOST, { role: "host" }),
      person("a", { role: "speaker" }),
      person("b", { role: "speaker", removed: true }),
      person("c"),
    ]);
    expect(counts).toEqual({ host: 1, cohost: 0, speaker: 1, listener: 1 });
  });
});

describe("requests to speak", () => {
  test("request -> accept makes a muted speaker", () => {
    let ctx = space();
    ctx = act(ctx, "ada", "requestToSpeak");
    expect(ctx.participants.get("ada")).toEqual(person("ada", { pending: "requested" }));
    ctx = act(ctx, HOST, "acceptRequest", "ada");
    expect(ctx.participants.get("ada")).toEqual(
      person("ada", { role: "speaker", pending: "none", muted: true }),
    );
    expect(standingOf(ctx, "ada")).toBe("speaker");
  });

  test("a co-host can accept and decline requests too", () => {
    let ctx = space([person("co", { role: "cohost" })]);
    ctx = act(act(ctx, "ada", "requestToSpeak"), "bob", "requestToSpeak");
    ctx = act(ctx, "co", "acceptRequest", "ada");
    ctx = act(ctx, "co", "declineRequest", "bob");
    expect(ctx.participants.get("ada")?.role).toBe("speaker");
    expect(ctx.participants.get("bob")).toEqual(person("bob"));
  });

  test("decline leaves the person a listener without a request", () => {
    const ctx = act(act(space(), "ada", "requestToSpeak"), HOST, "declineRequest", "ada");
    expect(ctx.participants.get("ada")).toEqual(person("ada"));
    // They may ask again.
    expect(act(ctx, "ada", "requestToSpeak").participants.get("ada")?.pending).toBe("requested");
  });

  test("asking twice changes nothing the second time", () => {
    const ctx = act(space(), "ada", "requestToSpeak");
    expect(decideStageAction(ctx, "ada", "requestToSpeak")).toEqual({ ok: true, changes: [] });
  });

  test("cancelRequest without a request changes nothing", () => {
    expect(decideStageAction(space(), "ada", "cancelRequest")).toEqual({ ok: true, changes: [] });
  });

  test("cancelRequest withdraws the request", () => {
    const ctx = act(act(space(), "ada", "requestToSpeak"), "ada", "cancelRequest");
    expect(ctx.participants.get("ada")?.pending).toBe("none");
    expect(refusal(decideStageAction(ctx, HOST, "acceptRequest", "ada"))).toBe(
      "AMPHI_STAGE_CONFLICT",
    );
  });

  test("cancelRequest leaves an invitation alone", () => {
    const invited = act(space([person("ada")]), HOST, "inviteSpeaker", "ada");
    const decision = decideStageAction(invited, "ada", "cancelRequest");
    expect(decision.ok).toBe(true);
    expect(apply(invited, decision).participants.get("ada")?.pending).toBe("invitedSpeaker");
  });

  test("accepting or declining without a request is a conflict", () => {
    const ctx = space([person("ada")]);
    expect(refusal(decideStageAction(ctx, HOST, "acceptRequest", "ada"))).toBe(
      "AMPHI_STAGE_CONFLICT",
    );
    expect(refusal(decideStageAction(ctx, HOST, "declineRequest", "ada"))).toBe(
      "AMPHI_STAGE_CONFLICT",
    );
  });

  test("an invited listener cannot also ask", () => {
    const ctx = act(space([person("ada")]), HOST, "inviteSpeaker", "ada");
    expect(refusal(decideStageAction(ctx, "ada", "requestToSpeak"))).toBe("AMPHI_STAGE_CONFLICT");
  });

  test("only listeners ask; speakers and the host are refused", () => {
    const ctx = space([person("sp", { role: "speaker" })]);
    expect(refusal(decideStageAction(ctx, "sp", "requestToSpeak"))).toBe("AMPHI_FORBIDDEN");
    expect(refusal(decideStageAction(ctx, HOST, "requestToSpeak"))).toBe("AMPHI_FORBIDDEN");
  });

  test("speakers and listeners cannot accept requests", () => {
    let ctx = act(space([person("sp", { role: "speaker" })]), "ada", "requestToSpeak");
    expect(refusal(decideStageAction(ctx, "sp", "acceptRequest", "ada"))).toBe("AMPHI_FORBIDDEN");
    ctx = act(ctx, "bob", "requestToSpeak");
    expect(refusal(decideStageAction(ctx, "bob", "acceptRequest", "ada"))).toBe("AMPHI_FORBIDDEN");
  });
});

describe("speaker request policy", () => {
  test("everyone: any listener may ask", () => {
    expect(decideStageAction(space([], { policy: "everyone" }), "ada", "requestToSpeak").ok).toBe(
      true,
    );
  });

  test("followed: only people the host follows may ask", () => {
    const followed = space([], { policy: "followed", hostFollowsActor: true });
    expect(decideStageAction(followed, "ada", "requestToSpeak").ok).toBe(true);
    const stranger = space([], { policy: "followed", hostFollowsActor: false });
    expect(refusal(decideStageAction(stranger, "ada", "requestToSpeak"))).toBe(
      "AMPHI_REQUESTS_CLOSED",
    );
    const unknown = space([], { policy: "followed" });
    expect(refusal(decideStageAction(unknown, "ada", "requestToSpeak"))).toBe(
      "AMPHI_REQUESTS_CLOSED",
    );
  });

  test("invited: nobody may ask, even someone the host follows; invitations still work", () => {
    const ctx = space([person("ada")], { policy: "invited", hostFollowsActor: true });
    expect(refusal(decideStageAction(ctx, "ada", "requestToSpeak"))).toBe("AMPHI_REQUESTS_CLOSED");
    const up = act(act(ctx, HOST, "inviteSpeaker", "ada"), "ada", "acceptInvitation");
    expect(up.participants.get("ada")?.role).toBe("speaker");
  });
});

describe("invitations", () => {
  test("speaker invitation: invited, then accepted as a muted speaker", () => {
    let ctx = act(space([person("ada")]), HOST, "inviteSpeaker", "ada");
    expect(ctx.participants.get("ada")).toEqual(person("ada", { pending: "invitedSpeaker" }));
    // Being invited does not put anyone on stage yet.
    expect(standingOf(ctx, "ada")).toBe("listener");
    ctx = act(ctx, "ada", "acceptInvitation");
    expect(ctx.participants.get("ada")).toEqual(
      person("ada", { role: "speaker", pending: "none", muted: true }),
    );
  });

  test("a co-host may invite speakers", () => {
    const ctx = act(
      space([person("co", { role: "cohost" }), person("ada")]),
      "co",
      "inviteSpeaker",
      "ada",
    );
    expect(ctx.participants.get("ada")?.pending).toBe("invitedSpeaker");
  });

  test("a declined invitation leaves a plain listener", () => {
    const ctx = act(
      act(space([person("ada")]), HOST, "inviteSpeaker", "ada"),
      "ada",
      "declineInvitation",
    );
    expect(ctx.participants.get("ada")).toEqual(person("ada"));
  });

  test("co-host invitation of a listener: accepted as a muted co-host", () => {
    const ctx = act(
      act(space([person("ada")]), HOST, "inviteCohost", "ada"),
      "ada",
      "acceptInvitation",
    );
    expect(ctx.participants.get("ada")).toEqual(
      person("ada", { role: "cohost", pending: "none", muted: true }),
    );
  });

  test("co-host invitation of a speaker keeps their microphone as it was", () => {
    const ctx = act(
      act(space([person("sp", { role: "speaker", muted: false })]), HOST, "inviteCohost", "sp"),
      "sp",
      "acceptInvitation",
    );
    expect(ctx.participants.get("sp")).toEqual(person("sp", { role: "cohost", muted: false }));
  });

  test("only the host invites co-hosts", () => {
    const ctx = space([person("co", { role: "cohost" }), person("ada")]);
    expect(refusal(decideStageAction(ctx, "co", "inviteCohost", "ada"))).toBe("AMPHI_FORBIDDEN");
  });

  test("inviting someone already there is a conflict", () => {
    const ctx = space([person("sp", { role: "speaker" }), person("co", { role: "cohost" })]);
    expect(refusal(decideStageAction(ctx, HOST, "inviteSpeaker", "sp"))).toBe(
      "AMPHI_STAGE_CONFLICT",
    );
    expect(refusal(decideStageAction(ctx, HOST, "inviteCohost", "co"))).toBe(
      "AMPHI_STAGE_CONFLICT",
    );
  });

  test("inviting again with the same invitation changes nothing", () => {
    const ctx = act(
      act(
        space([person("co", { role: "cohost" }), person("ada"), person("bob")]),
        HOST,
        "inviteSpeaker",
        "ada",
      ),
      HOST,
      "inviteCohost",
      "bob",
    );
    const unchanged = { ok: true, changes: [] };
    expect(decideStageAction(ctx, HOST, "inviteSpeaker", "ada")).toEqual(unchanged);
    expect(decideStageAction(ctx, "co", "inviteSpeaker", "ada")).toEqual(unchanged);
    expect(decideStageAction(ctx, HOST, "inviteCohost", "bob")).toEqual(unchanged);
  });

  test("inviting again on a full stage changes nothing: the invitation stands", () => {
    let ctx = act(space([...speakers(9), person("ada")]), HOST, "inviteSpeaker", "ada");
    ctx = act(act(ctx, "bob", "requestToSpeak"), HOST, "acceptRequest", "bob");
    expect(decideStageAction(ctx, HOST, "inviteSpeaker", "ada")).toEqual({ ok: true, changes: [] });
  });

  test("an invitation supersedes a request to speak", () => {
    let ctx = act(space([person("co", { role: "cohost" })]), "ada", "requestToSpeak");
    ctx = act(ctx, "co", "inviteSpeaker", "ada");
    expect(ctx.participants.get("ada")).toEqual(person("ada", { pending: "invitedSpeaker" }));
    // The request is gone from the queue; the invitation brings them up.
    expect(refusal(decideStageAction(ctx, HOST, "acceptRequest", "ada"))).toBe(
      "AMPHI_STAGE_CONFLICT",
    );
    expect(act(ctx, "ada", "acceptInvitation").participants.get("ada")?.role).toBe("speaker");

    const asked = act(space(), "bob", "requestToSpeak");
    const cohost = act(act(asked, HOST, "inviteCohost", "bob"), "bob", "acceptInvitation");
    expect(cohost.participants.get("bob")?.role).toBe("cohost");
  });

  test("a co-host cannot downgrade the host's co-host invitation to a speaker one", () => {
    const ctx = act(
      space([person("co", { role: "cohost" }), person("ada")]),
      HOST,
      "inviteCohost",
      "ada",
    );
    const decision = decideStageAction(ctx, "co", "inviteSpeaker", "ada");
    expect(refusal(decision)).toBe("AMPHI_STAGE_CONFLICT");
    expect(decision.ok ? "" : decision.message).toMatch(/only the host/);
    // Accepting still makes a co-host.
    expect(act(ctx, "ada", "acceptInvitation").participants.get("ada")?.role).toBe("cohost");
  });

  test("the host may change their own invitation either way", () => {
    let ctx = act(space([person("ada")]), HOST, "inviteCohost", "ada");
    ctx = act(ctx, HOST, "inviteSpeaker", "ada");
    expect(ctx.participants.get("ada")?.pending).toBe("invitedSpeaker");
    ctx = act(ctx, HOST, "inviteCohost", "ada");
    expect(ctx.participants.get("ada")?.pending).toBe("invitedCohost");
  });

  test("accepting or declining without an invitation is a conflict", () => {
    const ctx = space([person("ada"), person("sp", { role: "speaker" })]);
    for (const actor of ["ada", "sp", "stranger"]) {
      expect(refusal(decideStageAction(ctx, actor, "acceptInvitation"))).toBe(
        "AMPHI_STAGE_CONFLICT",
      );
      expect(refusal(decideStageAction(ctx, actor, "declineInvitation"))).toBe(
        "AMPHI_STAGE_CONFLICT",
      );
    }
  });
});

describe("stage limits: 1 host, 2 co-hosts, 10 speakers, 13 on stage", () => {
  test("the limits", () => {
    expect(stageLimits).toEqual({ cohosts: 2, speakers: 10, total: 13 });
    // The total follows from the others, so only the per-role limits are ever checked.
    expect(1 + stageLimits.cohosts + stageLimits.speakers).toBe(stageLimits.total);
  });

  test("an 11th speaker cannot be accepted or invited", () => {
    let ctx = space([...speakers(10)]);
    ctx = act(ctx, "ada", "requestToSpeak");
    expect(refusal(decideStageAction(ctx, HOST, "acceptRequest", "ada"))).toBe("AMPHI_STAGE_FULL");
    expect(refusal(decideStageAction(ctx, HOST, "inviteSpeaker", "ada"))).toBe("AMPHI_STAGE_FULL");
  });

  test("the 10th speaker is fine", () => {
    const ctx = act(space([...speakers(9)]), "ada", "requestToSpeak");
    const after = act(ctx, HOST, "acceptRequest", "ada");
    expect(stageCounts(after.participants.values()).speaker).toBe(10);
  });

  test("an invitation accepted after the stage filled up is refused", () => {
    let ctx = space([...speakers(9), person("ada"), person("bob")]);
    ctx = act(act(ctx, HOST, "inviteSpeaker", "ada"), HOST, "inviteSpeaker", "bob");
    ctx = act(ctx, "ada", "acceptInvitation");
    expect(refusal(decideStageAction(ctx, "bob", "acceptInvitation"))).toBe("AMPHI_STAGE_FULL");
    // The invitation stands: it can be accepted once a seat frees up.
    ctx = act(ctx, "speaker0", "leaveStage");
    expect(act(ctx, "bob", "acceptInvitation").participants.get("bob")?.role).toBe("speaker");
  });

  test("a third co-host cannot be invited or accepted", () => {
    let ctx = space([...cohosts(1), person("ada"), person("bob"), person("cy")]);
    ctx = act(act(ctx, HOST, "inviteCohost", "ada"), HOST, "inviteCohost", "bob");
    ctx = act(ctx, "ada", "acceptInvitation");
    expect(refusal(decideStageAction(ctx, "bob", "acceptInvitation"))).toBe("AMPHI_STAGE_FULL");
    expect(refusal(decideStageAction(ctx, HOST, "inviteCohost", "cy"))).toBe("AMPHI_STAGE_FULL");
    // Bob's invitation stands (inviting him again changes nothing) until a seat frees up.
    expect(decideStageAction(ctx, HOST, "inviteCohost", "bob")).toEqual({ ok: true, changes: [] });
  });

  test("a full stage of 13 refuses anyone else", () => {
    let ctx = space([...cohosts(2), ...speakers(10), person("ada", { pending: "requested" })]);
    const counts = stageCounts(ctx.participants.values());
    expect(counts.host + counts.cohost + counts.speaker).toBe(stageLimits.total);
    for (const action of ["acceptRequest", "inviteSpeaker", "inviteCohost"] as const) {
      expect(refusal(decideStageAction(ctx, HOST, action, "ada"))).toBe("AMPHI_STAGE_FULL");
    }
    // A seat that frees up can be taken again.
    ctx = act(ctx, HOST, "moveToListener", "speaker3");
    expect(act(ctx, HOST, "acceptRequest", "ada").participants.get("ada")?.role).toBe("speaker");
  });

  test("promoting a speaker to co-host on a stage of 12 takes no extra seat", () => {
    let ctx = space([...cohosts(1), ...speakers(10)]);
    ctx = act(act(ctx, HOST, "inviteCohost", "speaker0"), "speaker0", "acceptInvitation");
    const counts = stageCounts(ctx.participants.values());
    expect(counts).toMatchObject({ host: 1, cohost: 2, speaker: 9 });
  });

  test("removed people do not hold seats", () => {
    const gone = speakers(10).map((p) => ({ ...p, removed: true }));
    const ctx = act(space([...gone]), "ada", "requestToSpeak");
    expect(act(ctx, HOST, "acceptRequest", "ada").participants.get("ada")?.role).toBe("speaker");
  });
});

describe("who acts on whom", () => {
  const ctx = space([
    person("co1", { role: "cohost" }),
    person("co2", { role: "cohost" }),
    person("sp", { role: "speaker" }),
    person("ada"),
  ]);

  test.each(["mute", "moveToListener", "remove"] as const)(
    "a co-host cannot %s the host or another co-host",
    (action) => {
      expect(refusal(decideStageAction(ctx, "co1", action, HOST))).toBe("AMPHI_FORBIDDEN");
      expect(refusal(decideStageAction(ctx, "co1", action, "co2"))).toBe("AMPHI_FORBIDDEN");
    },
  );

  test("a co-host mutes, moves down and removes speakers", () => {
    expect(act(ctx, "co1", "mute", "sp").participants.get("sp")?.muted).toBe(true);
    expect(act(ctx, "co1", "moveToListener", "sp").participants.get("sp")).toEqual(person("sp"));
    expect(act(ctx, "co1", "remove", "sp").participants.get("sp")?.removed).toBe(true);
  });

  test("the host acts on co-hosts", () => {
    const down = act(ctx, HOST, "moveToListener", "co1");
    expect(down.participants.get("co1")).toEqual(person("co1"));
    expect(act(ctx, HOST, "mute", "co2").participants.get("co2")?.muted).toBe(true);
  });

  test("speakers cannot act on anyone", () => {
    expect(refusal(decideStageAction(ctx, "sp", "mute", "ada"))).toBe("AMPHI_FORBIDDEN");
    expect(refusal(decideStageAction(ctx, "sp", "remove", "ada"))).toBe("AMPHI_FORBIDDEN");
  });

  test("a target must be named, be someone else, and be known", () => {
    expect(refusal(decideStageAction(ctx, HOST, "mute"))).toBe("AMPHI_STAGE_CONFLICT");
    expect(refusal(decideStageAction(ctx, HOST, "mute", HOST))).toBe("AMPHI_STAGE_CONFLICT");
  });

  test("someone the stage has not met yet is a plain listener", () => {
    expect(decideStageAction(ctx, HOST, "mute", "newcomer")).toEqual({
      ok: false,
      code: "AMPHI_STAGE_CONFLICT",
      message: "Not on stage.",
    });
    expect(act(ctx, "co1", "inviteSpeaker", "newcomer").participants.get("newcomer")).toEqual(
      person("newcomer", { pending: "invitedSpeaker" }),
    );
    expect(act(ctx, HOST, "remove", "newcomer").participants.get("newcomer")).toEqual(
      person("newcomer", { removed: true }),
    );
  });

  test("muting or moving down a listener is a conflict", () => {
    expect(refusal(decideStageAction(ctx, HOST, "mute", "ada"))).toBe("AMPHI_STAGE_CONFLICT");
    expect(refusal(decideStageAction(ctx, HOST, "moveToListener", "ada"))).toBe(
      "AMPHI_STAGE_CONFLICT",
    );
  });

  test("the decision is only a proposal: the context is left untouched", () => {
    const before = structuredClone([...ctx.participants.values()]);
    decideStageAction(ctx, HOST, "remove", "sp");
    decideStageAction(ctx, "co1", "mute", "sp");
    expect([...ctx.participants.values()]).toEqual(before);
  });
});

describe("on their own microphone and seat", () => {
  test("speakers, co-hosts and the host mute and unmute themselves", () => {
    let ctx = space([
      person("sp", { role: "speaker", muted: true }),
      person("co", { role: "cohost" }),
    ]);
    ctx = act(ctx, "sp", "unmuteSelf");
    expect(ctx.participants.get("sp")?.muted).toBe(false);
    ctx = act(act(ctx, "co", "muteSelf"), HOST, "muteSelf");
    expect(ctx.participants.get("co")?.muted).toBe(true);
    expect(ctx.participants.get(HOST)?.muted).toBe(true);
    expect(act(ctx, HOST, "unmuteSelf").participants.get(HOST)?.muted).toBe(false);
  });

  test("listeners have no microphone to unmute", () => {
    expect(refusal(decideStageAction(space(), "ada", "unmuteSelf"))).toBe("AMPHI_FORBIDDEN");
  });

  test("speakers and co-hosts may leave the stage; the host may not", () => {
    let ctx = space([
      person("sp", { role: "speaker" }),
      person("co", { role: "cohost", muted: true }),
    ]);
    ctx = act(act(ctx, "sp", "leaveStage"), "co", "leaveStage");
    expect(ctx.participants.get("sp")).toEqual(person("sp"));
    expect(ctx.participants.get("co")).toEqual(person("co"));
    expect(refusal(decideStageAction(ctx, HOST, "leaveStage"))).toBe("AMPHI_FORBIDDEN");
  });
});

describe("removal", () => {
  test("remove marks the person removed and takes them off stage", () => {
    const ctx = act(
      space([person("sp", { role: "speaker", muted: true, pending: "invitedCohost" })]),
      HOST,
      "remove",
      "sp",
    );
    expect(ctx.participants.get("sp")).toEqual(
      person("sp", { role: "listener", pending: "none", muted: false, removed: true }),
    );
    expect(standingOf(ctx, "sp")).toBe("removed");
  });

  test.each<[StageActionName, string | undefined]>([
    ["requestToSpeak", undefined],
    ["cancelRequest", undefined],
    ["acceptInvitation", undefined],
    ["declineInvitation", undefined],
    ["unmuteSelf", undefined],
    ["leaveStage", undefined],
    ["mute", HOST],
    ["inviteSpeaker", "ada"],
  ])("after removal, %s answers AMPHI_REMOVED_FROM_SPACE", (action, target) => {
    const ctx = act(space([person("co", { role: "cohost" }), person("ada")]), HOST, "remove", "co");
    expect(refusal(decideStageAction(ctx, "co", action, target))).toBe("AMPHI_REMOVED_FROM_SPACE");
  });

  test("a removed person cannot be invited or removed again", () => {
    const ctx = act(space([person("ada")]), HOST, "remove", "ada");
    expect(refusal(decideStageAction(ctx, HOST, "inviteSpeaker", "ada"))).toBe(
      "AMPHI_PARTICIPANT_NOT_FOUND",
    );
    expect(refusal(decideStageAction(ctx, HOST, "remove", "ada"))).toBe(
      "AMPHI_PARTICIPANT_NOT_FOUND",
    );
  });

  test("people can be removed from a scheduled Space too", () => {
    const ctx = act(space([person("ada")], { state: "scheduled" }), HOST, "remove", "ada");
    expect(ctx.participants.get("ada")?.removed).toBe(true);
  });
});

describe("when the Space is not live", () => {
  test.each(["scheduled", "ended", "cancelled"] as const)(
    "stage actions in a %s Space answer AMPHI_SPACE_NOT_LIVE",
    (state) => {
      const ctx = space(
        [person("ada", { pending: "requested" }), person("sp", { role: "speaker" })],
        {
          state,
        },
      );
      expect(refusal(decideStageAction(ctx, "bob", "requestToSpeak"))).toBe("AMPHI_SPACE_NOT_LIVE");
      expect(refusal(decideStageAction(ctx, HOST, "acceptRequest", "ada"))).toBe(
        "AMPHI_SPACE_NOT_LIVE",
      );
      expect(refusal(decideStageAction(ctx, HOST, "mute", "sp"))).toBe("AMPHI_SPACE_NOT_LIVE");
      expect(refusal(decideStageAction(ctx, "sp", "unmuteSelf"))).toBe("AMPHI_SPACE_NOT_LIVE");
    },
  );

  test.each(["ended", "cancelled"] as const)("nobody can be removed from a %s Space", (state) => {
    const ctx = space([person("ada")], { state });
    expect(refusal(decideStageAction(ctx, HOST, "remove", "ada"))).toBe("AMPHI_SPACE_NOT_LIVE");
  });

  test("who you are is checked before the state", () => {
    const ctx = space([], { state: "ended" });
    expect(refusal(decideStageAction(ctx, null, "requestToSpeak"))).toBe("AMPHI_UNAUTHENTICATED");
    expect(refusal(decideStageAction(ctx, "ada", "mute", HOST))).toBe("AMPHI_FORBIDDEN");
  });
});

describe("anonymous people", () => {
  test.each<StageActionName>(["requestToSpeak", "acceptInvitation", "muteSelf", "remove"])(
    "%s without an account answers AMPHI_UNAUTHENTICATED",
    (action) => {
      expect(refusal(decideStageAction(space([person("ada")]), null, action, "ada"))).toBe(
        "AMPHI_UNAUTHENTICATED",
      );
    },
  );
});

describe("invariants under any sequence of actions (property)", () => {
  const stageActions: StageActionName[] = [
    "requestToSpeak",
    "cancelRequest",
    "acceptRequest",
    "declineRequest",
    "inviteSpeaker",
    "inviteCohost",
    "acceptInvitation",
    "declineInvitation",
    "moveToListener",
    "leaveStage",
    "mute",
    "muteSelf",
    "unmuteSelf",
    "remove",
  ];
  // Enough people to overfill every limit.
  const people = [HOST, ...Array.from({ length: 16 }, (_, i) => `p${i}`)];
  const someone = fc.constantFrom(...people);
  // Weighted towards the actions that fill the stage, so the limits are reached often.
  const weights: Record<StageActionName, number> = {
    requestToSpeak: 4,
    cancelRequest: 1,
    acceptRequest: 4,
    declineRequest: 1,
    inviteSpeaker: 4,
    inviteCohost: 3,
    acceptInvitation: 6,
    declineInvitation: 1,
    moveToListener: 1,
    leaveStage: 1,
    mute: 1,
    muteSelf: 1,
    unmuteSelf: 1,
    remove: 1,
  };
  const anyAction = fc.oneof(
    ...stageActions.map((action) => ({ weight: weights[action], arbitrary: fc.constant(action) })),
  );

  /**
   * One step. Most steps are aimed: the actor and target are drawn from the people the action
   * makes sense for right now (the requester for acceptRequest, the invited for
   * acceptInvitation...), so long chains that fill the stage happen. The rest are wild: anyone
   * (or nobody) acting on anyone.
   */
  const step = fc.record({
    action: anyAction,
    aimed: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
    actorPick: fc.nat(),
    targetPick: fc.nat(),
    wildActor: fc.oneof(
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 10, arbitrary: someone },
    ),
    wildTarget: fc.option(someone, { nil: undefined, freq: 20 }),
    hostFollowsActor: fc.boolean(),
  });
  type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

  function resolveStep(ctx: StageContext, s: Step): { actor: string | null; target?: string } {
    if (!s.aimed) {
      return s.wildTarget === undefined
        ? { actor: s.wildActor }
        : { actor: s.wildActor, target: s.wildTarget };
    }
    const present = people
      .map((id) => ctx.participants.get(id) ?? listener(id))
      .filter((p) => !p.removed);
    const pick = (list: Participant[], n: number): string =>
      list[n % Math.max(list.length, 1)]?.accountId ?? (people[n % people.length] as string);
    const where = (test: (p: Participant) => boolean) => present.filter(test);
    const onStage = where((p) => isOnStage(p.role));
    const offStage = where((p) => p.role === "listener");
    const managers = where((p) => p.role === "host" || p.role === "cohost");
    const actor = (list: Participant[]) => pick(list, s.actorPick);
    const target = (list: Participant[]) => pick(list, s.targetPick);
    switch (s.action) {
      case "requestToSpeak":
        return { actor: actor(offStage) };
      case "cancelRequest":
        return { actor: actor(where((p) => p.pending === "requested")) };
      case "acceptInvitation":
      case "declineInvitation":
        return { actor: actor(where((p) => p.pending.startsWith("invited"))) };
      case "leaveStage":
      case "muteSelf":
      case "unmuteSelf":
        return { actor: actor(onStage) };
      case "acceptRequest":
      case "declineRequest":
        return { actor: actor(managers), target: target(where((p) => p.pending === "requested")) };
      case "inviteSpeaker":
        return { actor: actor(managers), target: target(offStage) };
      case "inviteCohost":
        return {
          actor: HOST,
          target: target(where((p) => p.role === "listener" || p.role === "speaker")),
        };
      case "moveToListener":
      case "mute":
        return { actor: actor(managers), target: target(onStage.filter((p) => p.role !== "host")) };
      case "remove":
        return { actor: actor(managers), target: target(present.filter((p) => p.role !== "host")) };
    }
  }

  /** A valid stage to start from: some co-hosts and speakers already up, some people removed. */
  const initialStage = fc
    .record({
      cohosts: fc.integer({ min: 0, max: stageLimits.cohosts }),
      speakers: fc.integer({ min: 0, max: stageLimits.speakers }),
      removed: fc.integer({ min: 0, max: 2 }),
    })
    .map(({ cohosts, speakers, removed }) => {
      const others = people.slice(1);
      return [
        ...others.slice(0, cohosts).map((id) => person(id, { role: "cohost" })),
        ...others.slice(cohosts, cohosts + speakers).map((id) => person(id, { role: "speaker" })),
        ...others
          .slice(cohosts + speakers, cohosts + speakers + removed)
          .map((id) => person(id, { removed: true })),
      ];
    });

  function checkInvariants(ctx: StageContext): void {
    const all = [...ctx.participants.values()];
    const hosts = all.filter((p) => p.role === "host");
    expect(hosts.map((p) => p.accountId)).toEqual([HOST]);
    expect(hosts[0]?.removed).toBe(false);
    const counts = stageCounts(all);
    expect(counts.cohost).toBeLessThanOrEqual(stageLimits.cohosts);
    expect(counts.speaker).toBeLessThanOrEqual(stageLimits.speakers);
    expect(counts.host + counts.cohost + counts.speaker).toBeLessThanOrEqual(stageLimits.total);
    for (const p of all) {
      if (p.removed) {
        expect(p.role).toBe("listener");
        expect(p.pending).toBe("none");
      }
      // Listeners have no microphone on: a muted flag only means something on stage.
      if (p.role === "listener") expect(p.muted).toBe(false);
    }
  }

  test("one host, limits kept, removed people off stage, the host never removed or demoted", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<SpeakerRequestPolicy>("everyone", "followed", "invited"),
        initialStage,
        fc.array(step, { minLength: 1, maxLength: 200 }),
        (policy, initial, steps) => {
          let ctx = space(initial, { policy });
          checkInvariants(ctx);
          for (const s of steps) {
            const before = ctx;
            ctx = { ...ctx, hostFollowsActor: s.hostFollowsActor };
            const { actor, target } = resolveStep(ctx, s);
            const action = s.action;
            const decision = decideStageAction(ctx, actor, action, target);
            if (decision.ok) {
              // A decision changes at most the actor and the target, nobody else.
              for (const change of decision.changes) {
                expect([actor, target]).toContain(change.accountId);
                // Only the host turns their co-host invitation into a speaker one.
                const was = ctx.participants.get(change.accountId)?.pending;
                if (was === "invitedCohost" && change.pending === "invitedSpeaker") {
                  expect(actor).toBe(HOST);
                }
              }
              ctx = apply(ctx, decision);
            } else {
              expect(ctx.participants).toBe(before.participants);
            }
            checkInvariants(ctx);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test("removed people stay removed whatever happens next", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 100 }), (steps) => {
        let ctx = act(space([person("p0", { role: "speaker" })]), HOST, "remove", "p0");
        for (const s of steps) {
          const { actor, target } = resolveStep(ctx, {
            ...s,
            aimed: s.aimed && s.actorPick % 2 === 0,
          });
          // Half the aimed steps are the removed person themself trying to act.
          const who = s.aimed && s.actorPick % 2 === 1 ? "p0" : actor;
          const decision = decideStageAction(ctx, who, s.action, target);
          if (decision.ok) ctx = apply(ctx, decision);
          expect(ctx.participants.get("p0")?.removed).toBe(true);
          expect(standingOf(ctx, "p0")).toBe("removed");
        }
      }),
      { numRuns: 200 },
    );
  });
});
