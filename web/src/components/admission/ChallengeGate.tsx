import { AltchaWidget } from "./AltchaWidget";

/**
 * Shown when Amphi is under attack and asks each listener for a small proof of work: the
 * browser solves it on its own; nothing to click, nothing to type.
 */
export function ChallengeGate({
  challengeUrl,
  attempt,
  onSolved,
}: {
  challengeUrl: string;
  /** A new attempt (the previous answer was refused) shows a fresh widget. */
  attempt: number;
  onSolved: (payload: string) => void;
}) {
  return (
    <section
      className="admission"
      data-testid="challenge-gate"
      aria-labelledby="challenge-gate-title"
    >
      <h3 id="challenge-gate-title" className="admission-title">
        A quick check before you listen
      </h3>
      <p className="admission-text">
        Amphi is seeing a lot of automated traffic, so your browser solves a small puzzle to show
        it's a real visitor. It takes a few seconds and needs nothing from you.
      </p>
      <AltchaWidget key={attempt} challengeUrl={challengeUrl} onVerified={onSolved} />
    </section>
  );
}
