import { useCallback, useState } from "react";
import { isApiError } from "../../api/api-error";
import type { MeAnswer, SpaceAnswer } from "../../api/spaces";
import { spacesApi } from "../../api/spaces";
import type { ReactionEmoji } from "../../api/types";
import type { LiveSpace } from "../../live/use-live-space";
import { useToast } from "../feedback/toast-context";

type Answer = SpaceAnswer | MeAnswer;

/**
 * Every action on a Space, wired to the API: each applies its answer at once (the live push
 * follows), reports failures as a toast with the server's message, and marks itself busy.
 */
export function useSpaceActions(spaceId: string, live: LiveSpace) {
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const { applySpace, applyMe, setRequests, requests } = live;

  const run = useCallback(
    async (key: string, call: () => Promise<Answer>, success?: string): Promise<boolean> => {
      setBusy(key);
      try {
        const answer = await call();
        if ("space" in answer) applySpace(answer.space);
        if ("me" in answer) applyMe(answer.me);
        if (success) toast.show(success, "success");
        return true;
      } catch (error) {
        toast.error(error);
        return false;
      } finally {
        setBusy((current) => (current === key ? null : current));
      }
    },
    [applySpace, applyMe, toast],
  );

  const dropRequest = useCallback(
    (handle: string) => setRequests(requests.filter((r) => r.handle !== handle)),
    [requests, setRequests],
  );

  const react = useCallback(
    async (emoji: ReactionEmoji, ticket?: string | null) => {
      try {
        await spacesApi.react(spaceId, emoji, ticket);
        return true;
      } catch (error) {
        if (isApiError(error, "AMPHI_RATE_LIMITED")) toast.show("Easy there! Too many reactions.");
        else toast.error(error);
        return false;
      }
    },
    [spaceId, toast],
  );

  return {
    busy,
    react,
    start: () => run("start", () => spacesApi.start(spaceId), "You're live!"),
    end: () => run("end", () => spacesApi.end(spaceId), "The Space has ended."),
    cancel: () => run("cancel", () => spacesApi.cancel(spaceId), "The Space is cancelled."),
    requestToSpeak: () => run("request", () => spacesApi.requestToSpeak(spaceId)),
    cancelRequest: () => run("request", () => spacesApi.cancelRequest(spaceId)),
    acceptRequest: async (handle: string) => {
      if (await run(`accept:${handle}`, () => spacesApi.acceptRequest(spaceId, handle))) {
        dropRequest(handle);
      }
    },
    declineRequest: async (handle: string) => {
      if (await run(`decline:${handle}`, () => spacesApi.declineRequest(spaceId, handle))) {
        dropRequest(handle);
      }
    },
    invite: (handle: string, role: "speaker" | "cohost") =>
      run(
        `invite:${handle}`,
        () => spacesApi.invite(spaceId, handle, role),
        `Invitation sent to @${handle}.`,
      ),
    acceptInvitation: () =>
      run("invitation", () => spacesApi.acceptInvitation(spaceId), "You're on stage."),
    declineInvitation: () => run("invitation", () => spacesApi.declineInvitation(spaceId)),
    moveToListener: (handle: string) =>
      run(`listener:${handle}`, () => spacesApi.moveToListener(spaceId, handle)),
    mute: (handle: string) => run(`mute:${handle}`, () => spacesApi.mute(spaceId, handle)),
    unmute: (handle: string) => run(`unmute:${handle}`, () => spacesApi.unmute(spaceId, handle)),
    remove: (handle: string) =>
      run(`remove:${handle}`, () => spacesApi.remove(spaceId, handle), `@${handle} was removed.`),
  };
}

export type SpaceActions = ReturnType<typeof useSpaceActions>;
