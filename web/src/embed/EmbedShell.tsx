import type { ReactNode } from "react";
import { Icon } from "../components/Icon";

/**
 * The frame of every embed: what it shows, then a footer naming Amphi with a link to the
 * full page, opened in a new tab (the embed never navigates the site it sits in).
 */
export function EmbedShell({
  openUrl,
  testId,
  state,
  children,
}: {
  /** The full page in Amphi. */
  openUrl: string;
  testId: string;
  /** The Space's state, for styles and tests. */
  state?: string;
  children: ReactNode;
}) {
  return (
    <main className="embed" data-testid={testId} data-state={state}>
      <div className="embed-body">{children}</div>
      <footer className="embed-foot">
        <span className="embed-brand" aria-hidden="true">
          <img src="/favicon.svg" alt="" width={16} height={16} />
          Amphi
        </span>
        <a
          className="embed-open"
          href={openUrl}
          target="_blank"
          rel="noopener"
          data-testid="open-in-amphi"
        >
          Open in Amphi
          <Icon name="external" size={14} />
        </a>
      </footer>
    </main>
  );
}

/** What an embed says when what it names does not exist (or cannot be shown). */
export function EmbedUnavailable({ what, openUrl }: { what: string; openUrl: string }) {
  return (
    <EmbedShell openUrl={openUrl} testId="embed-unavailable">
      <div className="embed-empty">
        <Icon name="wave" size={24} />
        <p className="embed-empty-title">{`This ${what} is not available`}</p>
        <p className="embed-note">The link may be wrong, or it was removed.</p>
      </div>
    </EmbedShell>
  );
}

/** A quiet placeholder while the first answer is on its way. */
export function EmbedLoading({ openUrl, what }: { openUrl: string; what: string }) {
  return (
    <EmbedShell openUrl={openUrl} testId="embed-loading">
      <div className="embed-empty" aria-busy="true">
        <p className="embed-note" role="status">{`Loading the ${what}…`}</p>
      </div>
    </EmbedShell>
  );
}
