import type { ReactNode } from "react";
import type { Admission } from "../../admission/use-admission";
import { admissionApi } from "../../api/admission";
import { ErrorNotice } from "../feedback/ErrorNotice";
import { ChallengeGate } from "./ChallengeGate";
import { NotOpenNotice } from "./NotOpenNotice";
import { RetryNotice } from "./RetryNotice";
import { WaitingRoom } from "./WaitingRoom";

/**
 * What the listener sees while the admission gate decides: one panel per situation. The page
 * says how to log in when the host asks for it (the app links to its login page; an embed,
 * which has no session, to the Space in Amphi).
 */
export function AdmissionPanel({
  spaceId,
  admission,
  loginPrompt,
}: {
  spaceId: string;
  admission: Admission;
  loginPrompt: ReactNode;
}) {
  const { state, solved, retryNow } = admission;
  const challengeUrl = (named: string | null) => named ?? admissionApi.challengeUrl(spaceId);
  switch (state.status) {
    case "queued":
      return (
        <WaitingRoom
          queue={state.queue}
          firstPosition={state.firstPosition}
          retryAt={state.retryAt}
        />
      );
    case "challenge":
      return (
        <ChallengeGate
          challengeUrl={challengeUrl(state.challengeUrl)}
          attempt={state.attempt}
          onSolved={solved}
        />
      );
    case "admitted":
      // Renewing a refused ticket under attack: the audio plays on while the check runs.
      return state.renewalChallenge === null ? null : (
        <ChallengeGate
          challengeUrl={challengeUrl(state.challengeUrl)}
          attempt={state.renewalChallenge}
          onSolved={solved}
        />
      );
    case "retrying":
      return <RetryNotice reason={state.reason} retryAt={state.retryAt} onRetry={retryNow} />;
    case "login":
      return loginPrompt;
    case "not-open":
      return <NotOpenNotice retryAt={state.retryAt} onRetry={retryNow} />;
    case "failed":
      return <ErrorNotice error={state.error} title="We couldn't get you in" onRetry={retryNow} />;
    default:
      return null;
  }
}
