import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { ClipView } from "../components/clip/ClipView";
import { useClip } from "../components/clip/use-clip";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { Skeleton } from "../components/feedback/Skeleton";
import { Icon } from "../components/Icon";

/** `/clips/:clipId`: a short piece of a Space's recording, to play, download and share. */
export function ClipPage() {
  const { clipId = "" } = useParams();
  const { clip, notFound, error, reload } = useClip(clipId);

  let body: ReactNode;
  if (notFound) {
    body = (
      <EmptyState title="This clip doesn't exist" icon={<Icon name="scissors" size={28} />}>
        <p>The link may be wrong, or the clip was deleted.</p>
        <Link to="/" className="btn btn-primary">
          See what's live
        </Link>
      </EmptyState>
    );
  } else if (error) {
    body = <ErrorNotice error={error} title="We couldn't load this clip" onRetry={reload} />;
  } else if (!clip) {
    body = (
      <div className="card" aria-busy="true">
        <span className="visually-hidden" role="status">
          Loading the clip…
        </span>
        <Skeleton width={60} />
        <Skeleton width="70%" height={32} />
        <Skeleton width="40%" />
        <Skeleton height={48} />
      </div>
    );
  } else {
    body = <ClipView clip={clip} onDeleted={reload} />;
  }

  return (
    <div className="page clip-page" data-testid="clip-page">
      <title>{clip ? `Clip of ${clip.spaceTitle} · Amphi` : "Clip · Amphi"}</title>
      {body}
    </div>
  );
}
