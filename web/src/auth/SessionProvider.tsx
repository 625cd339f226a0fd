import { type ReactNode, useCallback, useEffect, useMemo, useState } from "react";
import { accountsApi } from "../api/accounts";
import { isApiError } from "../api/api-error";
import type { Account, LogInInput, SignUpInput } from "../api/types";
import { SessionContext, type SessionValue } from "./session-context";

/** Knows who is logged in: asks the server once on load, then follows sign-up/log-in/out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionValue["status"]>("loading");
  const [account, setAccount] = useState<Account | null>(null);

  useEffect(() => {
    let cancelled = false;
    accountsApi
      .me()
      .then(({ account }) => {
        if (!cancelled) setAccount(account);
      })
      .catch((error: unknown) => {
        if (!isApiError(error, "AMPHI_UNAUTHENTICATED"))
          console.warn("Session check failed", error);
        if (!cancelled) setAccount(null);
      })
      .finally(() => {
        if (!cancelled) setStatus("ready");
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const signUp = useCallback(async (input: SignUpInput) => {
    const session = await accountsApi.signUp(input);
    setAccount(session.account);
    return session.account;
  }, []);

  const logIn = useCallback(async (input: LogInInput) => {
    const session = await accountsApi.logIn(input);
    setAccount(session.account);
    return session.account;
  }, []);

  const logOut = useCallback(async () => {
    try {
      await accountsApi.logOut();
    } catch (error) {
      // Logged out already (or the cookie expired): the outcome is the same.
      if (!isApiError(error, "AMPHI_UNAUTHENTICATED")) throw error;
    }
    setAccount(null);
  }, []);

  const value = useMemo<SessionValue>(
    () => ({ status, account, signUp, logIn, logOut, setAccount }),
    [status, account, signUp, logIn, logOut],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
