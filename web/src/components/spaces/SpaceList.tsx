import type { ReactNode } from "react";
import type { SpaceDocument } from "../../api/types";
import { ErrorNotice } from "../feedback/ErrorNotice";
import { Skeleton } from "../feedback/Skeleton";
import { SpaceCard } from "./SpaceCard";
import type { SpaceListState } from "./use-space-list";

function CardSkeleton() {
  return (
    <div className="space-card" aria-hidden="true">
      <Skeleton width={60} height={20} />
      <Skeleton width="80%" height={22} />
      <Skeleton width="60%" />
      <div className="space-card-bottom">
        <Skeleton width={28} height={28} round />
        <Skeleton width={64} height={32} />
      </div>
    </div>
  );
}

/** A titled grid of Space cards, with loading, error and empty states. */
export function SpaceList({
  title,
  list,
  empty,
  testId,
  card = (space) => <SpaceCard key={space.id} space={space} />,
}: {
  title: ReactNode;
  list: SpaceListState;
  empty: ReactNode;
  testId?: string;
  /** How each Space shows (a SpaceCard with its `key`). */
  card?: (space: SpaceDocument) => ReactNode;
}) {
  const headingId = `${testId ?? "spaces"}-heading`;
  return (
    <section className="space-section" aria-labelledby={headingId} data-testid={testId}>
      <h2 id={headingId} className="section-title">
        {title}
      </h2>
      {list.error && !list.spaces ? (
        <ErrorNotice
          error={list.error}
          title="We couldn't load these Spaces"
          onRetry={list.reload}
        />
      ) : !list.spaces ? (
        <div className="card-grid" aria-busy="true">
          <span className="visually-hidden" role="status">
            Loading…
          </span>
          <CardSkeleton />
          <CardSkeleton />
        </div>
      ) : list.spaces.length === 0 ? (
        empty
      ) : (
        <div className="card-grid">{list.spaces.map(card)}</div>
      )}
    </section>
  );
}
