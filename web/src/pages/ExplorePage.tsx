import { useCallback, useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { isApiError } from "../api/api-error";
import { discoveryApi } from "../api/discovery";
import type { PopularAccount, SearchResults, SpaceDocument } from "../api/types";
import { AccountCard } from "../components/discovery/AccountCard";
import { SearchBox } from "../components/discovery/SearchBox";
import { useResource } from "../components/discovery/use-resource";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { Icon } from "../components/Icon";
import { SpaceCard } from "../components/spaces/SpaceCard";
import { SpaceList } from "../components/spaces/SpaceList";

const pageSize = 20;

/** `/explore`: the search box; without a query, what is popular; with one, the results. */
export function ExplorePage() {
  const [params] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  return (
    <div className="page">
      <title>{q ? `“${q}” · Search · Amphi` : "Explore · Amphi"}</title>
      <header className="page-head">
        <h1 className="page-title">{q ? "Search" : "Explore"}</h1>
        <SearchBox initial={q} autoFocus={!q} />
      </header>
      {q ? <SearchResultsView q={q} /> : <ExploreSections />}
    </div>
  );
}

function ExploreSections() {
  const explore = useResource("explore", (signal) => discoveryApi.explore({ signal }), 30_000);
  const list = (pick: (e: NonNullable<typeof explore.data>) => SpaceDocument[]) => ({
    spaces: explore.data ? pick(explore.data) : null,
    error: explore.error,
    reload: explore.reload,
  });
  const replays = explore.data?.replays ?? [];
  const replayable = new Set(replays.filter((r) => r.replay).map((r) => r.space.id));
  return (
    <>
      <SpaceList
        title={
          <>
            <span className="live-dot" aria-hidden="true" /> Live now
          </>
        }
        list={list((e) => e.live)}
        testId="explore-live"
        empty={<p className="muted">Nobody is live right now.</p>}
      />
      <SpaceList
        title="Upcoming"
        list={list((e) => e.upcoming)}
        testId="explore-upcoming"
        empty={<p className="muted">Nothing scheduled yet.</p>}
      />
      <SpaceList
        title="Recent replays"
        list={list((e) => e.replays.map((r) => r.space))}
        testId="explore-replays"
        empty={<p className="muted">No recorded Spaces yet.</p>}
        card={(space) => (
          <SpaceCard key={space.id} space={space} replay={replayable.has(space.id)} />
        )}
      />
      <AccountsSection
        title="Popular hosts"
        accounts={explore.data?.accounts ?? null}
        testId="explore-accounts"
        empty={<p className="muted">No hosts yet.</p>}
      />
    </>
  );
}

function AccountsSection({
  title,
  accounts,
  testId,
  empty,
}: {
  title: string;
  accounts: PopularAccount[] | null;
  testId: string;
  empty: React.ReactNode;
}) {
  const headingId = `${testId}-heading`;
  return (
    <section className="space-section" aria-labelledby={headingId} data-testid={testId}>
      <h2 id={headingId} className="section-title">
        {title}
      </h2>
      {accounts === null ? null : accounts.length === 0 ? (
        empty
      ) : (
        <div className="account-grid">
          {accounts.map((a) => (
            <AccountCard key={a.id} account={a} />
          ))}
        </div>
      )}
    </section>
  );
}

/** Spaces and people matching `q`, twenty at a time ("Show more" asks for the next page). */
function SearchResultsView({ q }: { q: string }) {
  const first = useResource(`search:${q}`, (signal) =>
    discoveryApi.search({ q, limit: pageSize }, { signal }),
  );
  const [more, setMore] = useState<SearchResults[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query starts over.
  useEffect(() => setMore([]), [q]);

  const pages = first.data ? [first.data, ...more] : [];
  const last = pages[pages.length - 1];
  const spaces = pages.flatMap((p) => p.spaces);
  const accounts = pages.flatMap((p) => p.accounts);

  const loadMore = useCallback(() => {
    if (!last?.nextCursor) return;
    setLoadingMore(true);
    discoveryApi
      .search({ q, limit: pageSize, cursor: last.nextCursor })
      .then((page) => setMore((m) => [...m, page]))
      .catch(() => {})
      .finally(() => setLoadingMore(false));
  }, [q, last]);

  if (first.error && !first.data) {
    const invalid = isApiError(first.error, "AMPHI_VALIDATION_FAILED");
    return invalid ? (
      <EmptyState title="Try other words" icon={<Icon name="search" size={28} />}>
        <p>{first.error.message}. Search for a title, a name or a handle.</p>
      </EmptyState>
    ) : (
      <ErrorNotice error={first.error} title="Search didn't work" onRetry={first.reload} />
    );
  }
  if (first.data && spaces.length === 0 && accounts.length === 0) {
    return (
      <EmptyState title={`Nothing found for “${q}”`} icon={<Icon name="search" size={28} />}>
        <p>Try a shorter word: every word matches the beginning of a title, name or handle.</p>
      </EmptyState>
    );
  }
  return (
    <div className="search-results" data-testid="search-results">
      {accounts.length > 0 && (
        <AccountsSection title="People" accounts={accounts} testId="search-accounts" empty={null} />
      )}
      <SpaceList
        title="Spaces"
        list={{ spaces: first.data ? spaces : null, error: null, reload: first.reload }}
        testId="search-spaces"
        empty={<p className="muted">No Space matches.</p>}
        card={(space) => (
          <SpaceCard
            key={space.id}
            space={space}
            replay={space.state === "ended" && space.recording}
          />
        )}
      />
      {last?.nextCursor && (
        <button
          type="button"
          className="btn btn-secondary"
          onClick={loadMore}
          disabled={loadingMore}
          data-testid="search-more"
        >
          {loadingMore ? "Loading…" : "Show more"}
        </button>
      )}
    </div>
  );
}
