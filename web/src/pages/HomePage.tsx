import { Link } from "react-router";
import { discoveryApi } from "../api/discovery";
import { useSession } from "../auth/session-context";
import { DiscoveredSection } from "../components/discovery/DiscoveredSection";
import { SearchBox } from "../components/discovery/SearchBox";
import { useResource } from "../components/discovery/use-resource";
import { EmptyState } from "../components/feedback/EmptyState";
import { Icon } from "../components/Icon";

/** What is live now and what is coming up: people you follow first, then popular Spaces. */
export function HomePage() {
  const { status, account } = useSession();
  const startPath = account ? "/new" : "/signup";
  // Who is asking decides the lists: wait for the session, reload when it changes.
  const feed = useResource(
    status === "loading" ? null : (account?.id ?? "anonymous"),
    (signal) => discoveryApi.home({ signal }),
    15_000,
  );

  return (
    <div className="page">
      <title>Amphi · Live audio Spaces</title>
      <section className="hero">
        <div>
          <h1 className="hero-title">Conversations, live.</h1>
          <p className="hero-text">
            Drop into a Space to listen, raise your hand to speak, or host your own. No app to
            install.
          </p>
        </div>
        <Link to={startPath} className="btn btn-primary btn-lg">
          <Icon name="mic" size={18} />
          {account ? "Start a Space" : "Sign up to host"}
        </Link>
        <div className="hero-search">
          <SearchBox />
        </div>
      </section>

      <DiscoveredSection
        title={
          <>
            <span className="live-dot" aria-hidden="true" /> Live now
          </>
        }
        spaces={feed.data?.live ?? null}
        error={feed.error}
        reload={feed.reload}
        testId="live-spaces"
        empty={
          <EmptyState title="Nobody is live right now" icon={<Icon name="headphones" size={28} />}>
            <p>Start one and be the first people hear.</p>
          </EmptyState>
        }
      />
      <DiscoveredSection
        title="Upcoming"
        spaces={feed.data?.upcoming ?? null}
        error={feed.error}
        reload={feed.reload}
        testId="upcoming-spaces"
        empty={
          <EmptyState title="Nothing scheduled yet" icon={<Icon name="calendar" size={28} />}>
            <p>Scheduled Spaces show up here so people can plan to join.</p>
          </EmptyState>
        }
      />
      <p className="explore-more">
        <Link to="/explore" className="btn btn-ghost">
          <Icon name="compass" size={18} />
          Explore replays and people
        </Link>
      </p>
    </div>
  );
}
