import type { SpaceDocument, Standing } from "../../api/types";
import { StageMember } from "./StageMember";
import type { SpaceActions } from "./use-space-actions";

const order = { host: 0, cohost: 1, speaker: 2, listener: 3 } as const;

/** Everyone on stage: the host first, then co-hosts, then speakers. */
export function StageGrid({
  space,
  viewer,
  selfId,
  speaking = [],
  actions,
}: {
  space: SpaceDocument;
  viewer: Standing;
  selfId: string | null;
  /** Account ids of those talking now. */
  speaking?: readonly string[];
  actions: SpaceActions;
}) {
  const stage = space.stage
    .filter((e) => e.role !== "listener")
    .sort((a, b) => order[a.role] - order[b.role]);
  return (
    <section className="card" aria-labelledby="stage-heading">
      <div className="card-heading">
        <h2 id="stage-heading">On stage</h2>
        <span className="count-pill">{stage.length}</span>
      </div>
      {stage.length === 0 ? (
        <p className="muted" data-testid="stage">
          Nobody is on stage.
        </p>
      ) : (
        <ul className="stage-grid" data-testid="stage">
          {stage.map((entry) => (
            <StageMember
              key={entry.account.id}
              space={space}
              entry={entry}
              viewer={viewer}
              isSelf={entry.account.id === selfId}
              speaking={speaking.includes(entry.account.id)}
              actions={actions}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
