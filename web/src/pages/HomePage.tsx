import { Link } from "react-router";
import { useSession } from "../auth/session-context";
import { EmptyState } from "../components/feedback/EmptyState";
import { Icon } from "../components/Icon";
import { SpaceList } from "../components/spaces/SpaceList";
import { useSpaceList } from "../components/spaces/use-space-list";

/** What is live now and what is coming up. */
export function HomePage() {
  const { account } = useSession();
  const live = useSpaceList("live", undefined, 15_000);
  const upcoming = useSpaceList("scheduled", undefined, 60_000);
  const startPath = account ? "/new" : "/signup";

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
      </section>

      <SpaceList
        title={
          <>
            <span className="live-dot" aria-hidden="true" /> Live now
          </>
        }
        list={live}
        testId="live-spaces"
        empty={
          <EmptyState title="Nobody is live right now" icon={<Icon name="headphones" size={28} />}>
            <p>Start one and be the first people hear.</p>
          </EmptyState>
        }
      />
      <SpaceList
        title="Upcoming"
        list={upcoming}
        testId="upcoming-spaces"
        empty={
          <EmptyState title="Nothing scheduled yet" icon={<Icon name="calendar" size={28} />}>
            <p>Scheduled Spaces show up here so people can plan to join.</p>
          </EmptyState>
        }
      />
    </div>
  );
}
