import { escapeHtml } from "./page-head.ts";
import { type ShareSubject, spaceStatus } from "./share-subject.ts";
import { formatClock, groupDigits, oneLine, statusLine } from "./share-text.ts";
import { textWidth, wrapText } from "./text-measure.ts";

/**
 * The link-preview card (1200x630, the Open Graph / Twitter large-image size) as SVG: the
 * Amphi mark, the status badge (LIVE with listeners, scheduled time, replay length), the
 * title wrapped and shortened to fit, and who hosts it. Pure: subject in, SVG text out; the
 * same subject always gives the same SVG (its hash keys the rendered PNG).
 */

export const cardFont = "DejaVu Sans";
const width = 1200;
const height = 630;
const margin = 80;

const colors = {
  backgroundFrom: "#5b4bd6",
  backgroundTo: "#241a6b",
  text: "#ffffff",
  soft: "#d8d3ff",
  live: "#d92a5c",
};

/** What the card shows, taken from a subject (exported for tests). */
export interface CardContent {
  kicker: string | null;
  title: string;
  badge: { text: string; live: boolean } | null;
  person: { displayName: string; handle: string; line: string };
  body: string | null;
}

export function cardContent(subject: ShareSubject, now: Date): CardContent {
  switch (subject.kind) {
    case "space": {
      const { space } = subject;
      const status = spaceStatus(space, subject.replaySeconds);
      return {
        kicker: null,
        title: oneLine(space.title),
        badge: { text: statusLine(status, now), live: status.kind === "live" },
        person: { ...space.host, line: `@${space.host.handle} · host` },
        body: null,
      };
    }
    case "clip": {
      const { clip, space } = subject;
      return {
        kicker: `FROM THE REPLAY · ${formatClock(clip.startSeconds)}–${formatClock(clip.endSeconds)}`,
        title: oneLine(space.title),
        badge: { text: `Clip · ${Math.round(clip.endSeconds - clip.startSeconds)} s`, live: false },
        person: { ...space.host, line: `@${space.host.handle} · host` },
        body: null,
      };
    }
    case "profile": {
      const { account, followers } = subject;
      const count = `${groupDigits(followers)} follower${followers === 1 ? "" : "s"}`;
      return {
        kicker: null,
        title: oneLine(account.displayName),
        badge: null,
        person: { ...account, line: `@${account.handle} · ${count}` },
        body: oneLine(account.bio) || null,
      };
    }
  }
}

/** The card's SVG. */
export function cardSvg(content: CardContent): string {
  const e = xmlText;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${cardFont}">`,
    "<defs>",
    `<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colors.backgroundFrom}"/><stop offset="1" stop-color="${colors.backgroundTo}"/></linearGradient>`,
    "</defs>",
    `<rect width="${width}" height="${height}" fill="url(#bg)"/>`,
    // The mark's arcs, large and faint, behind everything in the lower right.
    `<g fill="none" stroke="#ffffff" stroke-linecap="round" opacity="0.07">`,
    `<path d="M 820 700 a 250 250 0 0 1 500 0" stroke-width="56"/>`,
    `<path d="M 930 700 a 140 140 0 0 1 280 0" stroke-width="56"/>`,
    "</g>",
  );
  // The brand, top left: the app icon and the name.
  parts.push(
    `<g transform="translate(${margin} 64)">`,
    `<rect width="60" height="60" rx="15" fill="#ffffff"/>`,
    `<path d="M 16.9 37.5 a 13.1 13.1 0 0 1 26.2 0 M 22.5 37.5 a 7.5 7.5 0 0 1 15 0" fill="none" stroke="${colors.backgroundFrom}" stroke-width="4.5" stroke-linecap="round"/>`,
    `<circle cx="30" cy="37.5" r="3" fill="${colors.backgroundFrom}"/>`,
    `<text x="80" y="44" font-size="38" font-weight="bold" fill="${colors.text}">Amphi</text>`,
    "</g>",
  );
  if (content.badge) badge(parts, content.badge, margin + 80 + textWidth("Amphi", 38, "bold") + 40);

  // The title block, then the person at the bottom.
  const textWidthMax = width - 2 * margin;
  let y = 215;
  if (content.kicker) {
    parts.push(
      `<text x="${margin}" y="${y}" font-size="28" font-weight="bold" letter-spacing="2" fill="${colors.soft}">${e(content.kicker)}</text>`,
    );
    y += 30;
  }
  // Three lines of title fit above the person only when nothing else is in the block.
  const title = fitTitle(content.title, textWidthMax, content.body || content.kicker ? 2 : 3);
  y += title.size * 0.95;
  for (const line of title.lines) {
    parts.push(
      `<text x="${margin}" y="${Math.round(y)}" font-size="${title.size}" font-weight="bold" fill="${colors.text}">${e(line)}</text>`,
    );
    y += title.size * 1.18;
  }
  if (content.body) {
    const body = wrapText(content.body, {
      size: 30,
      weight: "regular",
      maxWidth: textWidthMax,
      maxLines: 2,
    });
    y += 8;
    for (const line of body.lines) {
      parts.push(
        `<text x="${margin}" y="${Math.round(y)}" font-size="30" fill="${colors.soft}">${e(line)}</text>`,
      );
      y += 40;
    }
  }
  person(parts, content.person);
  parts.push("</svg>");
  return parts.join("\n");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing characters XML 1.0 forbids
const notXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text for SVG content and attributes: escaped, without characters XML cannot carry. */
function xmlText(text: string): string {
  return escapeHtml(text.replace(notXml, ""));
}

/** The largest title size whose wrap fits in `maxLines` lines (the smallest one is cut). */
function fitTitle(
  text: string,
  maxWidth: number,
  maxLines: number,
): { size: number; lines: string[] } {
  const sizes = maxLines >= 3 ? [84, 72, 62] : [76, 64];
  for (const size of sizes) {
    const wrapped = wrapText(text, { size, weight: "bold", maxWidth, maxLines });
    if (!wrapped.cut) return { size, lines: wrapped.lines };
  }
  const size = sizes[sizes.length - 1] as number;
  return { size, lines: wrapText(text, { size, weight: "bold", maxWidth, maxLines }).lines };
}

/** The status badge, right-aligned in the top bar, right of `left` (shortened to fit). */
function badge(parts: string[], b: { text: string; live: boolean }, left: number): void {
  const size = 28;
  const pad = 26;
  const dot = b.live ? 26 : 0;
  let text = b.text;
  const room = width - margin - left;
  while (text.length > 4 && textWidth(text, size, "bold") + 2 * pad + dot > room) {
    text = `${text.slice(0, -2).trimEnd()}…`;
  }
  const w = Math.round(textWidth(text, size, "bold") + 2 * pad + dot);
  const x = width - margin - w;
  const fill = b.live ? colors.live : "#ffffff";
  const opacity = b.live ? "1" : "0.16";
  parts.push(
    `<g transform="translate(${x} 62)">`,
    `<rect width="${w}" height="64" rx="32" fill="${fill}" fill-opacity="${opacity}"/>`,
  );
  if (b.live) parts.push(`<circle cx="${pad + 7}" cy="32" r="8" fill="#ffffff"/>`);
  parts.push(
    `<text x="${pad + dot}" y="42" font-size="${size}" font-weight="bold" fill="#ffffff">${xmlText(text)}</text>`,
    "</g>",
  );
}

/** The avatar (initials on a colour from the handle), the name and a line under it. */
function person(parts: string[], p: CardContent["person"]): void {
  const e = xmlText;
  const cy = 528;
  const r = 42;
  const name = wrapText(oneLine(p.displayName), {
    size: 36,
    weight: "bold",
    maxWidth: width - 2 * margin - 2 * r - 28,
    maxLines: 1,
  }).lines[0];
  parts.push(
    `<circle cx="${margin + r}" cy="${cy}" r="${r}" fill="${avatarColor(p.handle)}" stroke="#ffffff" stroke-opacity="0.35" stroke-width="3"/>`,
    `<text x="${margin + r}" y="${cy + 12}" font-size="32" font-weight="bold" fill="#ffffff" text-anchor="middle">${e(initials(p.displayName, p.handle))}</text>`,
    `<text x="${margin + 2 * r + 28}" y="${cy - 6}" font-size="36" font-weight="bold" fill="${colors.text}">${e(name ?? "")}</text>`,
    `<text x="${margin + 2 * r + 28}" y="${cy + 34}" font-size="28" fill="${colors.soft}">${e(p.line)}</text>`,
  );
}

/** Initials as the web app's avatars show them (web/src/lib/avatar.ts). */
export function initials(displayName: string, handle: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const first = (w: string | undefined) => Array.from(w ?? "")[0] ?? "";
  const letters =
    words.length >= 2
      ? first(words[0]) + first(words[words.length - 1])
      : Array.from(words[0] ?? handle)
          .slice(0, 2)
          .join("");
  return (letters || handle.slice(0, 2)).toUpperCase();
}

/** The web app's avatar colour (hsl(hue 45% 42%), hue from an FNV-1a hash of the handle), as hex. */
export function avatarColor(handle: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < handle.length; i++) {
    h ^= handle.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return hslHex((h >>> 0) % 360, 0.45, 0.42);
}

function hslHex(hue: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
