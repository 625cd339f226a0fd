import type { OembedResponse } from "../contracts/sharing-contracts.ts";
import { cardSize, escapeHtml, siteName } from "./page-head.ts";
import type { ShareSubject } from "./share-subject.ts";
import { subjectPaths } from "./share-subject.ts";

/**
 * oEmbed 1.0 for Spaces and clips (https://oembed.com): which of our pages a URL names, and
 * the `rich` answer for it, an iframe of the embed page sized within the consumer's
 * maxwidth/maxheight. Pure.
 */

export type OembedTarget = { kind: "space"; id: string } | { kind: "clip"; id: string };

const id = "([A-Za-z0-9_-]{1,40})";
const spacePath = new RegExp(`^/(?:spaces|embed)/${id}/?$`);
const clipPath = new RegExp(`^/(?:clips|embed/clips)/${id}/?$`);

/** The Space or clip a URL names on this site (`origin`), or null (another site, another page). */
export function oembedTarget(url: string, origin: string): OembedTarget | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  if (parsed.host.toLowerCase() !== new URL(origin).host.toLowerCase()) return null;
  const clip = clipPath.exec(parsed.pathname);
  if (clip?.[1]) return { kind: "clip", id: clip[1] };
  const space = spacePath.exec(parsed.pathname);
  if (space?.[1] && space[1] !== "clips") return { kind: "space", id: space[1] };
  return null;
}

/** The embed's natural size: a Space's player shows the stage and the waiting room. */
export const embedSize = {
  space: { width: 560, height: 240 },
  clip: { width: 560, height: 180 },
} as const;

export function oembedResponse(
  subject: Extract<ShareSubject, { kind: "space" | "clip" }>,
  origin: string,
  limits: { maxwidth?: number | undefined; maxheight?: number | undefined },
): OembedResponse {
  const { space } = subject;
  const paths = subjectPaths(subject);
  const natural = embedSize[subject.kind];
  const width = Math.min(natural.width, limits.maxwidth ?? natural.width);
  const height = Math.min(natural.height, limits.maxheight ?? natural.height);
  const title = subject.kind === "clip" ? `Clip: ${space.title}` : space.title;
  const html = `<iframe src="${escapeHtml(origin + paths.embed)}" width="${width}" height="${height}" title="${escapeHtml(title)}" frameborder="0" allow="autoplay" loading="lazy" style="border:0;max-width:100%"></iframe>`;
  const response: OembedResponse = {
    type: "rich",
    version: "1.0",
    title,
    author_name: space.host.displayName,
    author_url: `${origin}/@${space.host.handle}`,
    provider_name: siteName,
    provider_url: `${origin}/`,
    cache_age: subject.kind === "clip" || space.state === "ended" ? 3600 : 60,
    html,
    width,
    height,
  };
  // The card is the thumbnail where it fits the consumer's limits (the specification asks).
  const fits =
    (limits.maxwidth ?? cardSize.width) >= cardSize.width &&
    (limits.maxheight ?? cardSize.height) >= cardSize.height;
  if (fits) {
    response.thumbnail_url = origin + paths.card;
    response.thumbnail_width = cardSize.width;
    response.thumbnail_height = cardSize.height;
  }
  return response;
}
