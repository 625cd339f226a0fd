import { type ShareSubject, spaceStatus, subjectPaths } from "./share-subject.ts";
import { clip, formatClock, formatUtc, groupDigits, oneLine } from "./share-text.ts";

/**
 * The server-rendered head of a shared page (Space, clip, profile): title, description,
 * Open Graph, Twitter card, canonical URL and the oEmbed and feed discovery links, put into
 * the web app's index.html so that link unfurlers and crawlers, which run no JavaScript, see
 * what the page is about. Pure: subject + absolute origin in, HTML out.
 */

export const siteName = "Amphi";
export const cardSize = { width: 1200, height: 630 } as const;

export interface PageMeta {
  /** og:title (the document's <title> adds " · Amphi"). */
  title: string;
  description: string;
  /** Absolute, canonical. */
  url: string;
  type: "website" | "profile";
  image: { url: string; alt: string };
  audio: { url: string; type: string } | null;
  oembed: string | null;
  feed: string | null;
}

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function hostLine(host: { displayName: string; handle: string }): string {
  return `Hosted by ${host.displayName} (@${host.handle})`;
}

/** The description of a Space: its status with times and listeners, its host, its text. */
export function spaceDescription(
  space: Extract<ShareSubject, { kind: "space" }>["space"],
  replaySeconds: number | null,
  now: Date,
): string {
  const status = spaceStatus(space, replaySeconds);
  const started = space.startedAt ? formatUtc(new Date(space.startedAt), now) : null;
  let lead: string;
  switch (status.kind) {
    case "live":
      lead = `Live now, ${groupDigits(status.listeners)} listening${started ? `, since ${started}` : ""}.`;
      break;
    case "scheduled":
      lead = status.at ? `Scheduled for ${formatUtc(status.at, now)}.` : "Starts soon.";
      break;
    case "replay":
      lead = `Replay, ${clockWords(status.seconds)}${started ? `, recorded ${started}` : ""}.`;
      break;
    case "ended":
      lead = `Ended${started ? `; it started ${started}` : ""}.`;
      break;
    case "cancelled":
      lead = "Cancelled.";
      break;
  }
  const text = oneLine(space.description);
  return clip(`${lead} ${hostLine(space.host)}.${text ? ` ${text}` : ""}`, 300);
}

function clockWords(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `${minutes} min`;
}

/** The meta of a subject's page, with absolute URLs under `origin` (no trailing slash). */
export function pageMeta(subject: ShareSubject, origin: string, now: Date): PageMeta {
  const paths = subjectPaths(subject);
  const url = origin + paths.page;
  const oembed = paths.embed ? `${origin}/oembed?url=${encodeURIComponent(url)}&format=json` : null;
  switch (subject.kind) {
    case "space": {
      const { space } = subject;
      return {
        title: space.title,
        description: spaceDescription(space, subject.replaySeconds, now),
        url,
        type: "website",
        image: { url: origin + paths.card, alt: `${space.title}, a Space on ${siteName}` },
        audio:
          subject.replaySeconds !== null && space.state === "ended"
            ? { url: `${origin}/recordings/${space.id}/download.m4a`, type: "audio/mp4" }
            : null,
        oembed,
        feed: null,
      };
    }
    case "clip": {
      const { clip: c, space } = subject;
      const range = `${formatClock(c.startSeconds)}–${formatClock(c.endSeconds)}`;
      return {
        title: `Clip: ${space.title}`,
        description: clip(
          `A ${Math.round(c.endSeconds - c.startSeconds)} s clip (${range}) of “${oneLine(space.title)}”. ${hostLine(space.host)}.`,
          300,
        ),
        url,
        type: "website",
        image: { url: origin + paths.card, alt: `A clip of ${space.title}, on ${siteName}` },
        audio: { url: `${origin}/clips/${c.id}/download.m4a`, type: "audio/mp4" },
        oembed,
        feed: null,
      };
    }
    case "profile": {
      const { account, followers } = subject;
      const bio = oneLine(account.bio);
      const count = `${groupDigits(followers)} follower${followers === 1 ? "" : "s"}`;
      return {
        title: `${account.displayName} (@${account.handle})`,
        description: clip(
          `${bio ? `${bio} · ` : ""}${count} · Live conversations on ${siteName}.`,
          300,
        ),
        url,
        type: "profile",
        image: { url: origin + paths.card, alt: `${account.displayName} on ${siteName}` },
        audio: null,
        oembed: null,
        feed: `${origin}/@${account.handle}/feed.xml`,
      };
    }
  }
}

/** The tags that go into <head>, one per line. */
export function renderHeadTags(meta: PageMeta): string {
  const e = escapeHtml;
  const property = (name: string, value: string | number) =>
    `<meta property="${name}" content="${e(String(value))}" />`;
  const named = (name: string, value: string) => `<meta name="${name}" content="${e(value)}" />`;
  const tags = [
    `<title>${e(meta.title)} · ${siteName}</title>`,
    named("description", meta.description),
    `<link rel="canonical" href="${e(meta.url)}" />`,
    property("og:site_name", siteName),
    property("og:type", meta.type),
    property("og:title", meta.title),
    property("og:description", meta.description),
    property("og:url", meta.url),
    property("og:image", meta.image.url),
    property("og:image:type", "image/png"),
    property("og:image:width", cardSize.width),
    property("og:image:height", cardSize.height),
    property("og:image:alt", meta.image.alt),
  ];
  if (meta.audio) {
    tags.push(property("og:audio", meta.audio.url), property("og:audio:type", meta.audio.type));
  }
  tags.push(
    named("twitter:card", "summary_large_image"),
    named("twitter:title", meta.title),
    named("twitter:description", meta.description),
    named("twitter:image", meta.image.url),
    named("twitter:image:alt", meta.image.alt),
  );
  if (meta.oembed) {
    tags.push(
      `<link rel="alternate" type="application/json+oembed" href="${e(meta.oembed)}" title="${e(meta.title)}" />`,
    );
  }
  if (meta.feed) {
    tags.push(
      `<link rel="alternate" type="application/rss+xml" href="${e(meta.feed)}" title="${e(meta.title)}" />`,
    );
  }
  return tags.join("\n    ");
}

/**
 * The web app's index.html, split once where the page's own tags go: its generic <title> and
 * description are taken out, and `render` puts a page's tags before </head>.
 */
export class HeadTemplate {
  private readonly before: string;
  private readonly after: string;

  constructor(readonly html: string) {
    const stripped = html
      .replace(/\s*<title>[\s\S]*?<\/title>/i, "")
      .replace(/\s*<meta\s+name=["']description["'][^>]*>/i, "");
    // Before </head>; without one (a bare page), after the doctype: both are in the head.
    let at = stripped.search(/<\/head>/i);
    if (at < 0) at = /^\s*<!doctype[^>]*>/i.exec(stripped)?.[0].length ?? 0;
    this.before = stripped.slice(0, at).trimEnd();
    this.after = stripped.slice(at);
  }

  render(meta: PageMeta): string {
    return `${this.before}\n    ${renderHeadTags(meta)}\n  ${this.after}`;
  }
}
