import { Link } from "react-router";
import type { Clip } from "../../api/types";
import { formatRelative } from "../../lib/format";
import { formatRange } from "../../media/time";
import { Icon } from "../Icon";

/** A clip in a list: the Space it comes from, its range, when it was made. */
export function ClipCard({ clip }: { clip: Clip }) {
  return (
    <Link
      to={`/clips/${encodeURIComponent(clip.id)}`}
      className="clip-tile"
      data-testid="clip-tile"
    >
      <span className="clip-tile-icon" aria-hidden="true">
        <Icon name="scissors" size={18} />
      </span>
      <span className="clip-tile-text">
        <span className="clip-tile-title">{clip.spaceTitle}</span>
        <span className="muted">
          {formatRange(clip.startSeconds, clip.endSeconds)} ·{" "}
          <time dateTime={clip.createdAt}>{formatRelative(clip.createdAt)}</time>
        </span>
      </span>
    </Link>
  );
}
