import { createContext, useContext } from "react";
import type { Account, LogInInput, SignUpInput } from "../api/types";

export interface SessionValue {
  /** "loading" until GET /api/accounts/me has answered. */
  status: "loading" | "ready";
  /** The logged-in account, or null for an anonymous visitor. */
  account: Account | null;
  signUp: (input: SignUpInput) => Promise<Account>;
  logIn: (input: LogInInput) => Promise<Account>;
  logOut: () => Promise<void>;
  /** Replaces the account after the person edits their profile; null once signed out elsewhere. */
  setAccount: (account: Account | null) => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession must be used inside <SessionProvider>");
  return value;
}
