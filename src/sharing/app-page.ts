import { readFileSync, statSync } from "node:fs";
import { HeadTemplate } from "./page-head.ts";

/** The page served when the web app is not built (development without `npm start`). */
const unbuilt =
  "<!doctype html><html><head><title>Amphi</title></head><body><p>The web app is not built. Run <code>npm start</code>.</p></body></html>";

/**
 * The web app's index.html as a head template, read once and again only when the file
 * changes (a rebuild renames the hashed assets it names): its modification time is looked at
 * no more than every `checkMs`.
 */
export class AppPage {
  private template: HeadTemplate;
  private mtimeMs = -1;
  private checkedAt = 0;

  constructor(
    private readonly file: string | null,
    private readonly checkMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {
    this.template = new HeadTemplate(unbuilt);
    this.refresh();
  }

  get(): HeadTemplate {
    if (this.now() - this.checkedAt >= this.checkMs) this.refresh();
    return this.template;
  }

  private refresh(): void {
    this.checkedAt = this.now();
    if (!this.file) return;
    try {
      const { mtimeMs } = statSync(this.file);
      if (mtimeMs === this.mtimeMs) return;
      this.template = new HeadTemplate(readFileSync(this.file, "utf8"));
      this.mtimeMs = mtimeMs;
    } catch {
      // Gone or unreadable for a moment (a rebuild): keep the last one.
    }
  }
}
