import { apiRequest } from "./client";
import type {
  Account,
  ChangePasswordInput,
  LogInInput,
  Profile,
  Session,
  SessionInfo,
  SignUpInput,
  UpdateProfileInput,
} from "./types";

const enc = encodeURIComponent;

export const accountsApi = {
  signUp: (input: SignUpInput) => apiRequest<Session>("POST", "/api/accounts", input),
  logIn: (input: LogInInput) => apiRequest<Session>("POST", "/api/sessions", input),
  logOut: () => apiRequest<{ ok: true }>("DELETE", "/api/sessions/current"),
  /** Who is logged in; `account: null` for nobody (no error status). */
  session: () => apiRequest<{ account: Account | null }>("GET", "/api/sessions/current"),
  me: () => apiRequest<{ account: Account }>("GET", "/api/accounts/me"),
  updateMe: (input: UpdateProfileInput) =>
    apiRequest<{ account: Account }>("PATCH", "/api/accounts/me", input),
  /** Every other session ends; this one goes on. */
  changePassword: (input: ChangePasswordInput) =>
    apiRequest<{ endedSessions: number }>("POST", "/api/accounts/me/password", input),
  sessions: () => apiRequest<{ sessions: SessionInfo[] }>("GET", "/api/sessions"),
  endSession: (id: string) =>
    apiRequest<{ current: boolean }>("DELETE", `/api/sessions/${enc(id)}`),
  /** Log out everywhere, this browser included. */
  endAllSessions: () => apiRequest<{ endedSessions: number }>("DELETE", "/api/sessions"),
  profile: (handle: string) =>
    apiRequest<{ profile: Profile }>("GET", `/api/accounts/${enc(handle)}`),
  follow: (handle: string) =>
    apiRequest<{ profile: Profile }>("PUT", `/api/accounts/${enc(handle)}/follow`),
  unfollow: (handle: string) =>
    apiRequest<{ profile: Profile }>("DELETE", `/api/accounts/${enc(handle)}/follow`),
};
