/** What an embed page shows, read from its address (`/embed/:spaceId`, `/embed/clips/:clipId`). */
export type EmbedRoute =
  | { kind: "space"; spaceId: string }
  | { kind: "clip"; clipId: string }
  | { kind: "unknown" };

/** The ids the API accepts (src/http/api-schemas.ts): anything else names nothing. */
const idPattern = /^[A-Za-z0-9_-]{1,40}$/;

function decoded(segment: string | undefined): string | null {
  if (segment === undefined) return null;
  try {
    const id = decodeURIComponent(segment);
    return idPattern.test(id) ? id : null;
  } catch {
    return null;
  }
}

export function embedRoute(pathname: string): EmbedRoute {
  const parts = pathname.split("/").filter((part) => part !== "");
  if (parts[0] !== "embed") return { kind: "unknown" };
  if (parts.length === 2) {
    const spaceId = decoded(parts[1]);
    return spaceId ? { kind: "space", spaceId } : { kind: "unknown" };
  }
  if (parts.length === 3 && parts[1] === "clips") {
    const clipId = decoded(parts[2]);
    return clipId ? { kind: "clip", clipId } : { kind: "unknown" };
  }
  return { kind: "unknown" };
}

/** The full page in Amphi for what an embed shows (the "Open in Amphi" link). */
export function amphiPageOf(route: EmbedRoute): string {
  switch (route.kind) {
    case "space":
      return `/spaces/${encodeURIComponent(route.spaceId)}`;
    case "clip":
      return `/clips/${encodeURIComponent(route.clipId)}`;
    default:
      return "/";
  }
}
