import { Link } from "react-router";
import type { SpaceDocument, Standing } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { cancelledReason, endedThanks } from "./ended-message";

/** The clear word on a Space that is over, or that the viewer was removed from. */
export function SpaceNotice({ space, standing }: { space: SpaceDocument; standing: Standing }) {
  if (standing === "removed") {
    return (
      <section className="banner banner-danger" role="alert" data-testid="removed-notice">
        <p className="banner-text">
          <strong>You were removed from this Space.</strong> A host took you off it, and you can't
          rejoin.
        </p>
        <Link to="/" className="btn btn-secondary btn-sm">
          Find other Spaces
        </Link>
      </section>
    );
  }
  if (space.state === "ended") {
    return (
      <section className="banner" role="status" data-testid="ended-notice">
        <p className="banner-text">
          <strong>This Space has ended.</strong>
          {space.endedAt ? ` It finished ${formatDateTime(space.endedAt)}.` : ""}{" "}
          {endedThanks(standing)}
        </p>
        <Link to="/" className="btn btn-secondary btn-sm">
          See what's live
        </Link>
      </section>
    );
  }
  if (space.state === "cancelled") {
    return (
      <section className="banner" role="status" data-testid="cancelled-notice">
        <p className="banner-text">
          <strong>This Space was cancelled.</strong> {cancelledReason(standing)}
        </p>
        <Link to="/" className="btn btn-secondary btn-sm">
          See what's live
        </Link>
      </section>
    );
  }
  return null;
}
