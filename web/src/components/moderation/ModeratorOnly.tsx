import type { ReactNode } from "react";
import { Link } from "react-router";
import { moderates, useRoles } from "../../moderation/use-roles";
import { EmptyState } from "../feedback/EmptyState";
import { ErrorNotice } from "../feedback/ErrorNotice";
import { PageSpinner } from "../feedback/Spinner";
import { Icon } from "../Icon";

/** The moderator console's door: moderators and admins go in, everyone else is told why not. */
export function ModeratorOnly({ children }: { children: ReactNode }) {
  const roles = useRoles();
  if (roles.status === "loading") return <PageSpinner label="Checking your role" />;
  if (roles.status === "failed") {
    return (
      <div className="page narrow">
        <ErrorNotice error={roles.error} title="We couldn't check your role" />
      </div>
    );
  }
  if (!moderates(roles.roles)) {
    return (
      <div className="page narrow" data-testid="not-allowed">
        <title>Not allowed · Amphi</title>
        <EmptyState title="This page is for moderators" icon={<Icon name="shield" size={28} />}>
          <p>
            Moderators review notices and appeals here. An administrator of this Amphi grants the
            role.
          </p>
          <p>
            To report something, use Report on a Space, a clip or a profile. To see the notices you
            sent, open <Link to="/reports">Your reports</Link>.
          </p>
          <Link to="/" className="btn btn-primary">
            Go home
          </Link>
        </EmptyState>
      </div>
    );
  }
  return <>{children}</>;
}
