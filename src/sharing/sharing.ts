import { join } from "node:path";
import type { OembedQuery, OembedResponse } from "../contracts/sharing-contracts.ts";
import { AmphiError } from "../errors/error-registry.ts";
import { AppPage } from "./app-page.ts";
import { CardRenderer, type CardRendererOptions } from "./card-renderer.ts";
import { cardContent, cardSvg } from "./card-svg.ts";
import { HostFeeds } from "./host-feeds.ts";
import { oembedResponse, oembedTarget } from "./oembed.ts";
import { pageMeta } from "./page-head.ts";
import { RecordingSizes } from "./recording-sizes.ts";
import type { ShareSubject } from "./share-subject.ts";
import { type ShareSubjectSources, ShareSubjects } from "./share-subjects.ts";

export interface SharingDeps extends ShareSubjectSources {
  /** The built web app (its index.html is the page every shared link gets). */
  webDir: string;
  /** PUBLIC_URL: absolute links use it; without it, the request's own origin. */
  publicUrl: string | undefined;
  cards?: CardRendererOptions;
  now?: () => Date;
}

export type SubjectRef =
  | { kind: "space"; id: string }
  | { kind: "clip"; id: string }
  | { kind: "profile"; handle: string };

/**
 * Sharing a link to Amphi: the server-rendered head of Space, clip and profile pages, their
 * PNG cards, oEmbed and the hosts' podcast feeds. The HTTP routes are
 * src/http/routes/sharing-routes.ts; the pure renderers are beside this file.
 */
export class Sharing {
  readonly subjects: ShareSubjects;
  readonly cards: CardRenderer;
  readonly feeds: HostFeeds;
  private readonly appPage: AppPage;
  private readonly publicOrigin: string | null;
  private readonly now: () => Date;

  constructor(deps: SharingDeps) {
    this.now = deps.now ?? (() => new Date());
    this.subjects = new ShareSubjects(deps);
    this.cards = new CardRenderer(deps.cards);
    this.feeds = new HostFeeds(deps, new RecordingSizes(deps.recordings), {}, this.now);
    this.appPage = new AppPage(join(deps.webDir, "index.html"));
    this.publicOrigin = deps.publicUrl ? new URL(deps.publicUrl).origin : null;
  }

  private hidden: ((subject: ShareSubject) => boolean) | null = null;

  /** Subjects this says are hidden (a moderator limited their reach) get no oEmbed answer. */
  hideFromEmbedsWhen(hidden: (subject: ShareSubject) => boolean): void {
    this.hidden = hidden;
  }

  /** Stops the card renderer's worker thread. */
  close(): Promise<void> {
    return this.cards.close();
  }

  /** The origin absolute links use: PUBLIC_URL's, or the one the request came to. */
  origin(request: { protocol: string; host: string }): string {
    if (this.publicOrigin) return this.publicOrigin;
    try {
      const url = new URL(`${request.protocol}://${request.host}`);
      if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
    } catch {
      // A Host header that is no host: fall through.
    }
    return "http://localhost";
  }

  subject(ref: SubjectRef): Promise<ShareSubject | null> {
    switch (ref.kind) {
      case "space":
        return this.subjects.space(ref.id);
      case "clip":
        return this.subjects.clip(ref.id);
      case "profile":
        return this.subjects.profile(ref.handle);
    }
  }

  /** The web app's page with its generic head. */
  plainPage(): string {
    return this.appPage.get().html;
  }

  /** The web app's page with the subject's head, or the plain app (status 404) without one. */
  async page(ref: SubjectRef, origin: string): Promise<{ status: 200 | 404; html: string }> {
    const template = this.appPage.get();
    const subject = await this.subject(ref);
    if (!subject) return { status: 404, html: template.html };
    return { status: 200, html: template.render(pageMeta(subject, origin, this.now())) };
  }

  /** The subject's card as PNG, or null when there is no such subject. */
  async card(ref: SubjectRef): Promise<Buffer | null> {
    const subject = await this.subject(ref);
    if (!subject) return null;
    return this.cards.png(cardSvg(cardContent(subject, this.now())));
  }

  /** The oEmbed answer for a page of this site; AmphiError 404/501 as the specification says. */
  async oembed(query: OembedQuery, origin: string): Promise<OembedResponse> {
    if (query.format !== undefined && query.format !== "json") {
      throw new AmphiError("AMPHI_OEMBED_JSON_ONLY");
    }
    const target = oembedTarget(query.url, origin);
    const subject = target ? await this.subject(target) : null;
    if (!subject || subject.kind === "profile" || this.hidden?.(subject)) {
      throw new AmphiError("AMPHI_OEMBED_NOT_FOUND");
    }
    return oembedResponse(subject, origin, query);
  }
}
