import { ClipEmbed } from "./ClipEmbed";
import { EmbedUnavailable } from "./EmbedShell";
import type { EmbedRoute } from "./embed-route";
import { SpaceEmbed } from "./SpaceEmbed";

/** The embed for the address it was opened at: no router, one page per load. */
export function EmbedApp({ route }: { route: EmbedRoute }) {
  switch (route.kind) {
    case "space":
      return <SpaceEmbed spaceId={route.spaceId} />;
    case "clip":
      return <ClipEmbed clipId={route.clipId} />;
    default:
      return <EmbedUnavailable what="Space" openUrl="/" />;
  }
}
