import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { PageSpinner } from "../components/feedback/Spinner";
import { useSession } from "./session-context";

/** Renders its children for logged-in people; sends everyone else to log in and back. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, account } = useSession();
  const location = useLocation();
  if (status === "loading") return <PageSpinner label="Checking your session" />;
  if (!account) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
