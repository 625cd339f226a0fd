import { Link } from "react-router";
import type { Clip } from "../../api/types";
import { useSession } from "../../auth/session-context";
import { formatDateTime } from "../../lib/format";
import { formatRange } from "../../media/time";
import { Icon } from "../Icon";
import { ReportButton } from "../moderation/ReportButton";
import { ReplayPlayer } from "../player/ReplayPlayer";
import { useVodPlayer } from "../player/use-vod-player";
import { ShareButton } from "../space/ShareButton";
import { DeleteClip } from "./DeleteClip";

/**
 * A clip: where it comes from, its range, the player, download and share; its creator and
 * the Space's host may delete it.
 */
export function ClipView({ clip, onDeleted }: { clip: Clip; onDeleted: () => void }) {
  const { account } = useSession();
  const mayDelete =
    account !== null && (account.id === clip.createdBy || account.id === clip.hostId);
  const length = Math.round(clip.endSeconds - clip.startSeconds);
  const vod = useVodPlayer(clip.playlistUrl, clip.endSeconds - clip.startSeconds);
  return (
    <article className="card clip-card" aria-labelledby="clip-title">
      <p className="clip-kicker">
        <Icon name="scissors" size={16} />
        Clip from a Space
      </p>
      <h1 id="clip-title" className="space-title">
        <Link to={`/spaces/${encodeURIComponent(clip.spaceId)}`} data-testid="clip-space-link">
          {clip.spaceTitle}
        </Link>
      </h1>
      <p className="clip-range" data-testid="clip-range">
        {formatRange(clip.startSeconds, clip.endSeconds)} · {length} s
        <span className="muted">
          {" "}
          · made <time dateTime={clip.createdAt}>{formatDateTime(clip.createdAt)}</time>
        </span>
      </p>
      <ReplayPlayer vod={vod} label="Clip" testId="clip-player" />
      <div className="clip-actions">
        <a
          href={clip.downloadUrl}
          download
          className="btn btn-secondary btn-sm"
          data-testid="clip-download"
        >
          <Icon name="download" size={16} />
          Download
        </a>
        <ShareButton title={clip.spaceTitle} url={clip.pageUrl} />
        {mayDelete && <DeleteClip clipId={clip.id} onDeleted={onDeleted} />}
        {account?.id !== clip.createdBy && (
          <ReportButton
            target={{ type: "clip", id: clip.id }}
            subject={`this clip of “${clip.spaceTitle}”`}
          />
        )}
      </div>
    </article>
  );
}
