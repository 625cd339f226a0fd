import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { renderAsync } from "@resvg/resvg-js";
import { cardFont } from "./card-svg.ts";

/** Debian's fonts-dejavu-core (scripts/ensure-system-deps.sh installs it). */
export const dejaVuFiles = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
];

export interface CardRendererOptions {
  /** Font files to load; the ones missing are skipped, and with none the system's are used. */
  fontFiles?: readonly string[];
  /** Rendered cards kept in memory (least recently used go first). */
  maxEntries?: number;
  /** Renders running at once (each on libuv's thread pool). */
  concurrency?: number;
}

/**
 * Renders card SVGs to PNG with resvg, off the event loop (`renderAsync` runs on libuv's
 * thread pool), and keeps the results in a bounded LRU keyed by the SVG's hash: the same
 * content is rendered once, and concurrent requests for it share the render.
 */
export class CardRenderer {
  private readonly cache = new Map<string, Promise<Buffer>>();
  private readonly maxEntries: number;
  private readonly concurrency: number;
  private readonly fontFiles: string[];
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Milliseconds of the last renders (newest last, at most 100), for the operator. */
  readonly renderMs: number[] = [];

  constructor(options: CardRendererOptions = {}) {
    this.fontFiles = (options.fontFiles ?? dejaVuFiles).filter((f) => existsSync(f));
    this.maxEntries = options.maxEntries ?? 500;
    this.concurrency = options.concurrency ?? 2;
  }

  /** Whether the card font was found (otherwise the system's fonts stand in). */
  get hasCardFont(): boolean {
    return this.fontFiles.length > 0;
  }

  /** The PNG of `svg` (from the cache when rendered before). */
  png(svg: string): Promise<Buffer> {
    const key = createHash("sha256").update(svg).digest("base64url");
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const rendering = this.render(svg);
    this.cache.set(key, rendering);
    rendering.catch(() => this.cache.delete(key));
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return rendering;
  }

  private async render(svg: string): Promise<Buffer> {
    if (this.running >= this.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    const started = performance.now();
    try {
      const image = await renderAsync(svg, {
        font: this.hasCardFont
          ? { loadSystemFonts: false, fontFiles: this.fontFiles, defaultFontFamily: cardFont }
          : { loadSystemFonts: true, defaultFontFamily: cardFont, sansSerifFamily: cardFont },
        logLevel: "off",
      });
      return image.asPng();
    } finally {
      this.renderMs.push(Math.round((performance.now() - started) * 10) / 10);
      if (this.renderMs.length > 100) this.renderMs.shift();
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
