import { siteName } from "./page-head.ts";

/**
 * A host's podcast feed: RSS 2.0 (https://www.rssboard.org/rss-specification) with one item
 * per recorded Space, its replay as the enclosure, and the iTunes tags podcast apps read.
 * Written by hand rather than with the `feed` package, whose XML writer (xml-js) leaves `&`
 * unescaped in attributes and closes CDATA early on a second "]]>". Pure.
 */

export interface FeedEpisode {
  spaceId: string;
  title: string;
  description: string;
  startedAt: Date;
  durationSeconds: number;
  /** Bytes of the download; 0 when not known yet (what the RSS Advisory Board recommends). */
  length: number;
}

export interface HostFeedInput {
  /** Absolute, no trailing slash. */
  origin: string;
  host: { handle: string; displayName: string; bio: string };
  episodes: readonly FeedEpisode[];
  now: Date;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing characters XML 1.0 forbids
const notXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(notXml, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function renderHostFeed(input: HostFeedInput): string {
  const { origin, host, episodes } = input;
  const x = escapeXml;
  const title = `${host.displayName} (@${host.handle}) on ${siteName}`;
  const link = `${origin}/@${host.handle}`;
  const description =
    host.bio.trim() || `Conversations hosted by ${host.displayName} on ${siteName}.`;
  const lastBuild = episodes[0]?.startedAt ?? input.now;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom">`,
    "<channel>",
    `<title>${x(title)}</title>`,
    `<link>${x(link)}</link>`,
    `<description>${x(description)}</description>`,
    `<atom:link href="${x(`${link}/feed.xml`)}" rel="self" type="application/rss+xml"/>`,
    `<lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`,
    `<generator>${siteName}</generator>`,
    `<image><url>${x(`${link}/card.png`)}</url><title>${x(title)}</title><link>${x(link)}</link></image>`,
    `<itunes:author>${x(host.displayName)}</itunes:author>`,
    `<itunes:summary>${x(description)}</itunes:summary>`,
    "<itunes:explicit>false</itunes:explicit>",
    "<itunes:type>episodic</itunes:type>",
  ];
  for (const e of episodes) {
    const page = `${origin}/spaces/${e.spaceId}`;
    lines.push(
      "<item>",
      `<title>${x(e.title)}</title>`,
      `<link>${x(page)}</link>`,
      `<guid isPermaLink="true">${x(page)}</guid>`,
      `<pubDate>${e.startedAt.toUTCString()}</pubDate>`,
      `<description>${x(e.description || e.title)}</description>`,
      `<enclosure url="${x(`${origin}/recordings/${e.spaceId}/download.m4a`)}" type="audio/mp4" length="${Math.max(0, Math.round(e.length))}"/>`,
      `<itunes:duration>${Math.max(1, Math.round(e.durationSeconds))}</itunes:duration>`,
      "</item>",
    );
  }
  lines.push("</channel>", "</rss>", "");
  return lines.join("\n");
}
