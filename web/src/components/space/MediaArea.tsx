import { Icon } from "../Icon";

/** Where listening and speaking will live; placeholders until audio arrives. */
export function MediaArea({ onStage }: { onStage: boolean }) {
  return (
    <section className="card media-area" data-testid="media-area" aria-labelledby="media-heading">
      <div className="card-heading">
        <h2 id="media-heading">Audio</h2>
      </div>
      <div className="media-slots">
        <div className="media-slot" data-testid="audio-player">
          <span className="media-icon" aria-hidden="true">
            <Icon name="headphones" size={22} />
          </span>
          <div>
            <p className="media-title">Audio player</p>
            <p className="muted">Listening in the browser is coming soon.</p>
          </div>
        </div>
        <div className="media-slot" data-testid="microphone">
          <span className="media-icon" aria-hidden="true">
            <Icon name="mic" size={22} />
          </span>
          <div>
            <p className="media-title">Microphone</p>
            <p className="muted">
              {onStage
                ? "Speaking from the browser is coming soon."
                : "For people on stage. Coming soon."}
            </p>
          </div>
        </div>
      </div>
    </section>
  );
}
