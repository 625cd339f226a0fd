import type {} from "altcha/types/react";
import { Fragment, useEffect, useRef, useState } from "react";
import { loadAltcha } from "../../admission/load-altcha";
import { Spinner } from "../feedback/Spinner";

interface VerifiedDetail {
  payload?: string;
}

interface StateDetail {
  state?: string;
}

/**
 * The ALTCHA proof-of-work widget: fetches its challenge from `challengeUrl`, solves it by
 * itself as soon as it is shown (`auto="onload"`), and hands over the base64 payload. When
 * solving fails (the challenge could not be fetched, or expired), a button starts it over.
 */
export function AltchaWidget({
  challengeUrl,
  onVerified,
}: {
  challengeUrl: string;
  onVerified: (payload: string) => void;
}) {
  const ref = useRef<HTMLElement>(null);
  const onVerifiedRef = useRef(onVerified);
  onVerifiedRef.current = onVerified;
  const [loaded, setLoaded] = useState<"loading" | "ready" | "failed">("loading");
  const [failed, setFailed] = useState(false);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    loadAltcha().then(
      () => live && setLoaded("ready"),
      () => live && setLoaded("failed"),
    );
    return () => {
      live = false;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new round is a new element.
  useEffect(() => {
    const widget = ref.current;
    if (!widget) return;
    const verified = (event: Event) => {
      const payload = (event as CustomEvent<VerifiedDetail>).detail?.payload;
      if (payload) onVerifiedRef.current(payload);
    };
    const changed = (event: Event) => {
      const state = (event as CustomEvent<StateDetail>).detail?.state;
      setFailed(state === "error" || state === "expired");
    };
    widget.addEventListener("verified", verified);
    widget.addEventListener("statechange", changed);
    return () => {
      widget.removeEventListener("verified", verified);
      widget.removeEventListener("statechange", changed);
    };
  }, [loaded, round]);

  function startOver() {
    setFailed(false);
    if (loaded === "failed") {
      setLoaded("loading");
      loadAltcha().then(
        () => setLoaded("ready"),
        () => setLoaded("failed"),
      );
    }
    setRound((r) => r + 1);
  }

  if (loaded === "loading") return <Spinner label="Loading the check" />;
  return (
    <div className="altcha-slot" data-testid="altcha" data-failed={failed || loaded === "failed"}>
      {loaded === "ready" && (
        // A new round is a fresh element (the widget has no "start over from a new challenge").
        <Fragment key={round}>
          <altcha-widget
            ref={ref}
            challenge={challengeUrl}
            auto="onload"
            name="altcha"
            data-testid="altcha-widget"
          />
        </Fragment>
      )}
      {(failed || loaded === "failed") && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={startOver}>
          Try the check again
        </button>
      )}
    </div>
  );
}
