import type { ApiError } from "../api/api-error";
import type {
  AccountSummary,
  Counts,
  MyStanding,
  RecordingStatus,
  SpaceDocument,
} from "../api/types";

/**
 * - `connecting`: first socket attempt; `live`: socket open, pushes arrive;
 * - `reconnecting`: the socket dropped, retrying with backoff (and polling meanwhile);
 * - `polling`: no socket (anonymous visitor, or the server refused it): GET every 5 s;
 * - `closed`: nothing more to follow (the Space finished, or the viewer was removed).
 */
export type LiveStatus = "connecting" | "live" | "reconnecting" | "polling" | "closed";

export interface LiveState {
  space: SpaceDocument | null;
  me: MyStanding | null;
  requests: AccountSummary[];
  /** Account ids of the stage members talking now (the last `speaking` push). */
  speaking: string[];
  /** The live recording as its hosts are told (the `recording` push), or null. */
  recording: RecordingStatus | null;
  status: LiveStatus;
  loading: boolean;
  notFound: boolean;
  removed: boolean;
  /** The last failed load, when there is no Space to show. */
  error: ApiError | null;
}

/** Where an update came from: pushes and action answers always win over polled reads. */
export type Source = "push" | "poll" | "action";

export type LiveAction =
  | { type: "reset" }
  | { type: "space"; space: SpaceDocument; source: Source }
  | { type: "me"; me: MyStanding; source: Source }
  | { type: "requests"; requests: AccountSummary[]; source: Source }
  | { type: "counts"; counts: Counts }
  | { type: "speaking"; speakers: string[] }
  | { type: "recording"; recording: RecordingStatus }
  | { type: "notFound" }
  | { type: "error"; error: ApiError }
  | { type: "removed" }
  | { type: "status"; status: LiveStatus };

export const initialLiveState: LiveState = {
  space: null,
  me: null,
  requests: [],
  speaking: [],
  recording: null,
  status: "connecting",
  loading: true,
  notFound: false,
  removed: false,
  error: null,
};

/** A polled read is ignored while the socket is open: the pushes are fresher. */
const stale = (state: LiveState, source: Source) => source === "poll" && state.status === "live";

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case "reset":
      return initialLiveState;
    case "space":
      if (stale(state, action.source) && state.space) return state;
      return {
        ...state,
        space: action.space,
        speaking: action.space.state === "live" ? state.speaking : [],
        loading: false,
        notFound: false,
        error: null,
      };
    case "me": {
      if (stale(state, action.source) && state.me) return state;
      const removed = state.removed || action.me.standing === "removed";
      return { ...state, me: action.me, removed };
    }
    case "requests":
      if (stale(state, action.source)) return state;
      return { ...state, requests: action.requests };
    case "counts":
      return state.space ? { ...state, space: { ...state.space, counts: action.counts } } : state;
    case "notFound":
      return { ...state, notFound: true, loading: false, status: "closed" };
    case "error":
      return { ...state, error: action.error, loading: false };
    case "removed":
      return {
        ...state,
        speaking: [],
        removed: true,
        status: "closed",
        me: state.me ? { ...state.me, standing: "removed", pending: "none" } : state.me,
      };
    case "recording":
      return { ...state, recording: action.recording };
    case "speaking":
      return { ...state, speaking: action.speakers };
    case "status":
      if (state.status === action.status) return state;
      // Without the socket nobody is known to be talking: no ring left on a stale speaker.
      return {
        ...state,
        status: action.status,
        speaking: action.status === "live" ? state.speaking : [],
      };
  }
}
