import { useCallback, useEffect, useReducer, useRef } from "react";
import { ApiError, isApiError } from "../api/api-error";
import { spacesApi } from "../api/spaces";
import type { AccountSummary, MyStanding, SpaceDocument } from "../api/types";
import { useSession } from "../auth/session-context";
import { backoffDelay, pingIntervalMs, pollIntervalMs } from "./backoff";
import { initialLiveState, type LiveState, liveReducer, type Source } from "./live-state";
import { type LiveMessage, liveUrl, parseLiveMessage, type ReactionsMessage } from "./messages";

export interface LiveSpaceOptions {
  /** Called for every `reactions` push (the floating emojis). */
  onReactions?: (message: ReactionsMessage) => void;
  /**
   * The audio playing carries the live state (src/media/live-state): no polling then; the
   * page reads the document again only when the media announces a new version.
   */
  mediaActive?: boolean;
}

export interface LiveSpace extends LiveState {
  /**
   * Re-reads the Space (and the viewer's standing) over HTTP now; with `version`, the
   * document at that version (a cacheable URL of its own).
   */
  refresh: (version?: string) => Promise<RefreshOutcome>;
  /** Takes the `{space}` answer of an action at once, without waiting for the push. */
  applySpace: (space: SpaceDocument) => void;
  /** Takes the `{me}` answer of an action at once. */
  applyMe: (me: MyStanding) => void;
  setRequests: (requests: AccountSummary[]) => void;
}

/** How a read went: the socket is only opened for a Space that exists. */
export type RefreshOutcome = "ok" | "notFound" | "failed" | "stale";

const finished = (space: SpaceDocument | null) =>
  space?.state === "ended" || space?.state === "cancelled";

const managing = (me: MyStanding | null) => me?.standing === "host" || me?.standing === "cohost";

/**
 * Follows one Space live. Logged-in viewers get a WebSocket on `/api/spaces/:id/live`,
 * reconnected with exponential backoff when it drops; anonymous visitors (who cannot open
 * it), and anyone whose socket is down, re-read `GET /api/spaces/:id` every 5 s instead.
 */
export function useLiveSpace(spaceId: string, options: LiveSpaceOptions = {}): LiveSpace {
  const { status: sessionStatus, account } = useSession();
  const accountId = account?.id ?? null;
  const [state, dispatch] = useReducer(liveReducer, initialLiveState);

  const latest = useRef(state);
  latest.current = state;
  const onReactions = useRef(options.onReactions);
  onReactions.current = options.onReactions;
  /** Bumped on every new Space/account so late answers of the old one are dropped. */
  const generation = useRef(0);

  const refresh = useCallback(
    async (version?: string): Promise<RefreshOutcome> => {
      const gen = generation.current;
      const current = () => gen === generation.current;
      const source: Source = version === undefined ? "poll" : "action";
      try {
        const { space } =
          version === undefined
            ? await spacesApi.get(spaceId)
            : await spacesApi.getVersion(spaceId, version);
        if (!current()) return "stale";
        dispatch({ type: "space", space, source });
        if (accountId === null) return "ok";
        const { me } = await spacesApi.me(spaceId);
        if (!current()) return "stale";
        dispatch({ type: "me", me, source });
        if (space.state === "live" && managing(me)) {
          const { requests } = await spacesApi.requests(spaceId);
          if (current()) dispatch({ type: "requests", requests, source });
        }
        return "ok";
      } catch (error) {
        if (!current()) return "stale";
        // A malformed id in the address (400) means there is no such Space either.
        const missing =
          isApiError(error, "AMPHI_SPACE_NOT_FOUND") ||
          isApiError(error, "AMPHI_NOT_FOUND") ||
          isApiError(error, "AMPHI_VALIDATION_FAILED");
        if (missing) {
          dispatch({ type: "notFound" });
          return "notFound";
        }
        if (error instanceof ApiError) dispatch({ type: "error", error });
        return "failed";
      }
    },
    [spaceId, accountId],
  );

  // The first read, and the socket for logged-in viewers.
  useEffect(() => {
    if (sessionStatus === "loading") return;
    generation.current++;
    dispatch({ type: "reset" });

    if (accountId === null) {
      dispatch({ type: "status", status: "polling" });
      void refresh();
      return;
    }

    let disposed = false;
    let socket: WebSocket | null = null;
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let pingTimer: ReturnType<typeof setInterval> | undefined;
    let started = false;

    const handle = (msg: LiveMessage) => {
      switch (msg.type) {
        case "space":
          dispatch({ type: "space", space: msg.space, source: "push" });
          break;
        case "me":
          dispatch({ type: "me", me: msg.me, source: "push" });
          break;
        case "requests":
          dispatch({ type: "requests", requests: msg.requests, source: "push" });
          break;
        case "counts":
          dispatch({ type: "counts", counts: msg.counts });
          break;
        case "reactions":
          onReactions.current?.(msg);
          break;
        case "speaking":
          dispatch({ type: "speaking", speakers: msg.speakers });
          break;
        case "recording":
          dispatch({ type: "recording", recording: msg.recording });
          break;
        case "removed":
          dispatch({ type: "removed" });
          // The socket closes now; read the Space once more so the page shows the stage as is.
          void refresh();
          break;
        case "pong":
          break;
      }
    };

    const connect = () => {
      retryTimer = undefined;
      dispatch({ type: "status", status: attempt === 0 ? "connecting" : "reconnecting" });
      const ws = new WebSocket(liveUrl(spaceId));
      socket = ws;
      ws.onopen = () => {
        attempt = 0;
        dispatch({ type: "status", status: "live" });
        pingTimer = setInterval(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" }));
        }, pingIntervalMs);
      };
      ws.onmessage = (event) => {
        const msg = parseLiveMessage(event.data);
        if (msg) handle(msg);
      };
      ws.onclose = (event) => {
        clearInterval(pingTimer);
        if (disposed || socket !== ws) return;
        socket = null;
        const now = latest.current;
        if (event.code === 4403 || now.removed) {
          dispatch({ type: "removed" });
          return;
        }
        if (now.notFound || finished(now.space)) {
          dispatch({ type: "status", status: "closed" });
          return;
        }
        if (event.code >= 4400 && event.code < 4500) {
          // The server refused this viewer (e.g. the session expired): read over HTTP instead.
          dispatch({ type: "status", status: "polling" });
          return;
        }
        dispatch({ type: "status", status: "reconnecting" });
        retryTimer = setTimeout(connect, backoffDelay(attempt++));
      };
    };

    const reconnectNow = () => {
      if (!started || socket || disposed || latest.current.status === "closed") return;
      if (latest.current.status === "polling") return;
      clearTimeout(retryTimer);
      attempt = 0;
      connect();
    };

    // Read the Space first (fast first paint, and no socket to a Space that does not exist).
    void refresh().then((outcome) => {
      if (disposed || outcome === "notFound" || outcome === "stale") return;
      started = true;
      connect();
    });
    window.addEventListener("online", reconnectNow);
    return () => {
      disposed = true;
      window.removeEventListener("online", reconnectNow);
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      const ws = socket;
      socket = null;
      if (ws) {
        ws.onopen = null;
        ws.onmessage = null;
        ws.onclose = null;
        ws.close(1000);
      }
    };
  }, [spaceId, accountId, sessionStatus, refresh]);

  // Polling whenever there is no open socket and the Space can still change.
  const shouldPoll =
    sessionStatus === "ready" &&
    !state.notFound &&
    !state.removed &&
    state.status !== "live" &&
    state.status !== "closed" &&
    !options.mediaActive &&
    !finished(state.space);
  useEffect(() => {
    if (!shouldPoll) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") void refresh();
    }, pollIntervalMs);
    return () => clearInterval(timer);
  }, [shouldPoll, refresh]);

  // Hosts and co-hosts see who asks to speak: read the list once they are managing.
  const isManaging = managing(state.me) && state.space?.state === "live";
  useEffect(() => {
    if (!isManaging) return;
    const gen = generation.current;
    spacesApi
      .requests(spaceId)
      .then(({ requests }) => {
        if (gen === generation.current) dispatch({ type: "requests", requests, source: "action" });
      })
      .catch(() => {
        // The pushes bring the list too; nothing to tell the viewer.
      });
  }, [isManaging, spaceId]);

  const applySpace = useCallback(
    (space: SpaceDocument) => dispatch({ type: "space", space, source: "action" }),
    [],
  );
  const applyMe = useCallback(
    (me: MyStanding) => dispatch({ type: "me", me, source: "action" }),
    [],
  );
  const setRequests = useCallback(
    (requests: AccountSummary[]) => dispatch({ type: "requests", requests, source: "action" }),
    [],
  );

  return { ...state, refresh, applySpace, applyMe, setRequests };
}
