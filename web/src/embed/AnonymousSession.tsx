import type { ReactNode } from "react";
import { SessionContext, type SessionValue } from "../auth/session-context";

const noAccounts = () => Promise.reject(new Error("An embedded player has no accounts"));

/**
 * An embed has no session: it listens as anyone not logged in (a listener ticket held in
 * the page), never asks who is logged in and never sets or needs a cookie, so it works the
 * same where the host site's browser blocks third-party cookies.
 */
const anonymous: SessionValue = {
  status: "ready",
  account: null,
  signUp: noAccounts,
  logIn: noAccounts,
  logOut: async () => {},
  setAccount: () => {},
};

export function AnonymousSession({ children }: { children: ReactNode }) {
  return <SessionContext.Provider value={anonymous}>{children}</SessionContext.Provider>;
}
