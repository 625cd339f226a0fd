import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { accountsApi } from "../api/accounts";
import { isApiError } from "../api/api-error";
import type { Account, LogInInput, SignUpInput } from "../api/types";
import { SessionContext, type SessionValue } from "./session-context";

/** Knows who is logged in: asks the server once on load, then follows sign-up/log-in/out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionValue["status"]>("loading");
  const [account, setAccountState] = useState<Account | null>(null);
  /** Set once the person signs up, logs in or out: the first check must not undo that. */
  const decided = useRef(false);

  const setAccount = useCallback((next: Account | null) => {
    decided.current = true;
    setAccountState(next);
  }, []);

  useEffect(() => {
    let cancelled = false;
    accountsApi
      .session()
      .then(({ account }) => {
        if (!cancelled && !decided.current) setAccountState(account);
      })
      .catch((error: unknown) => {
        console.warn("Session check failed", error);
      })
      .finally(() => {
        if (!cancelled) setStatus("ready");
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const signUp = useCallback(
    async (input: SignUpInput) => {
      const session = await accountsApi.signUp(input);
      setAccount(session.account);
      return session.account;
    },
    [setAccount],
  );

  const logIn = useCallback(
    async (input: LogInInput) => {
      const session = await accountsApi.logIn(input);
      setAccount(session.account);
      return session.account;
    },
    [setAccount],
  );

  const logOut = useCallback(async () => {
    try {
      await accountsApi.logOut();
    } catch (error) {
      // Logged out already (or the cookie expired): the outcome is the same.
      if (!isApiError(error, "AMPHI_UNAUTHENTICATED")) throw error;
    }
    setAccount(null);
  }, [setAccount]);

  const value = useMemo<SessionValue>(
    () => ({ status, account, signUp, logIn, logOut, setAccount }),
    [status, account, signUp, logIn, logOut, setAccount],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
