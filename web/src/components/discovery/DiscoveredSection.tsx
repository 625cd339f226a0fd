import type { ReactNode } from "react";
import type { ApiError } from "../../api/api-error";
import type { DiscoveredSpaces } from "../../api/types";
import { SpaceCard } from "../spaces/SpaceCard";
import { SpaceList } from "../spaces/SpaceList";

/**
 * A home list: Spaces of the people you follow first (marked "You follow"), then popular ones,
 * in one grid.
 */
export function DiscoveredSection({
  title,
  spaces,
  error,
  reload,
  empty,
  testId,
}: {
  title: ReactNode;
  spaces: DiscoveredSpaces | null;
  error: ApiError | null;
  reload: () => void;
  empty: ReactNode;
  testId: string;
}) {
  const followed = new Set(spaces?.following.map((s) => s.id));
  const list = {
    spaces: spaces ? [...spaces.following, ...spaces.popular] : null,
    error,
    reload,
  };
  return (
    <SpaceList
      title={title}
      list={list}
      empty={empty}
      testId={testId}
      card={(space) => (
        <SpaceCard
          key={space.id}
          space={space}
          {...(followed.has(space.id) ? { note: "You follow" } : {})}
        />
      )}
    />
  );
}
