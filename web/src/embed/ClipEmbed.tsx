import type { Clip } from "../api/types";
import { useClip } from "../components/clip/use-clip";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { Icon } from "../components/Icon";
import { ReplayPlayer } from "../components/player/ReplayPlayer";
import { useVodPlayer } from "../components/player/use-vod-player";
import { formatRange } from "../media/time";
import { EmbedLoading, EmbedShell, EmbedUnavailable } from "./EmbedShell";
import { amphiPageOf } from "./embed-route";

function ClipPlayer({ clip }: { clip: Clip }) {
  const vod = useVodPlayer(clip.playlistUrl, clip.endSeconds - clip.startSeconds);
  return <ReplayPlayer vod={vod} label="Clip" testId="clip-player" />;
}

/** `/embed/clips/:clipId`: a clip's player for other sites. */
export function ClipEmbed({ clipId }: { clipId: string }) {
  const openUrl = amphiPageOf({ kind: "clip", clipId });
  const { clip, notFound, error, reload } = useClip(clipId);
  if (notFound) return <EmbedUnavailable what="clip" openUrl={openUrl} />;
  if (!clip) {
    if (!error) return <EmbedLoading what="clip" openUrl={openUrl} />;
    return (
      <EmbedShell openUrl={openUrl} testId="clip-embed">
        <ErrorNotice error={error} title="We couldn't load this clip" onRetry={reload} />
      </EmbedShell>
    );
  }
  const length = Math.round(clip.endSeconds - clip.startSeconds);
  return (
    <EmbedShell openUrl={clip.pageUrl} testId="clip-embed">
      <title>{`Clip of ${clip.spaceTitle} · Amphi`}</title>
      <header className="embed-head">
        <span className="embed-clip-icon" aria-hidden="true">
          <Icon name="scissors" size={22} />
        </span>
        <div className="embed-titles">
          <h1 className="embed-title" data-testid="embed-title" title={clip.spaceTitle}>
            {clip.spaceTitle}
          </h1>
          <p className="embed-meta">
            {`Clip from a Space · ${formatRange(clip.startSeconds, clip.endSeconds)} · ${length} s`}
          </p>
        </div>
      </header>
      <ClipPlayer clip={clip} />
    </EmbedShell>
  );
}
