import { useEffect, useState } from "react";
import { moderationApi } from "../api/moderation";
import type { AccountRole } from "../api/types";
import { useSession } from "../auth/session-context";

export type RolesState =
  | { status: "loading" }
  | { status: "ready"; roles: AccountRole[] }
  | { status: "failed"; error: unknown };

/** The roles of the logged-in person (`GET /api/accounts/me`); none for anonymous visitors. */
export function useRoles(): RolesState {
  const { status, account } = useSession();
  const accountId = account?.id ?? null;
  const [state, setState] = useState<RolesState>({ status: "loading" });
  useEffect(() => {
    if (status === "loading") return;
    if (accountId === null) {
      setState({ status: "ready", roles: [] });
      return;
    }
    const controller = new AbortController();
    setState({ status: "loading" });
    moderationApi
      .me({ signal: controller.signal })
      .then((answer) => setState({ status: "ready", roles: answer.roles ?? [] }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ status: "failed", error });
      });
    return () => controller.abort();
  }, [status, accountId]);
  return state;
}

/** Whether the roles let someone into the moderator console (admins can do what moderators can). */
export function moderates(roles: readonly AccountRole[]): boolean {
  return roles.includes("moderator") || roles.includes("admin");
}
