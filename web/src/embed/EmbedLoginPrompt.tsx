/**
 * The host lets only logged-in people listen. An embed has no session (nor, in most
 * browsers, the cookie of one): listening happens in Amphi itself, in a new tab.
 */
export function EmbedLoginPrompt({ openUrl }: { openUrl: string }) {
  return (
    <section className="admission" data-testid="login-required">
      <p className="admission-text">
        The host asked listeners to log in.{" "}
        <a href={openUrl} target="_blank" rel="noopener" data-testid="login-to-listen">
          Listen in Amphi
        </a>
      </p>
    </section>
  );
}
