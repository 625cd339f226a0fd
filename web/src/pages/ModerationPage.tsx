import type { ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { moderationApi } from "../api/moderation";
import { useResource } from "../components/discovery/use-resource";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { Spinner } from "../components/feedback/Spinner";
import { Icon } from "../components/Icon";
import { AppealQueue } from "../components/moderation/AppealQueue";
import { ReportQueue } from "../components/moderation/ReportQueue";

const tabs = [
  { id: "open", label: "Open notices" },
  { id: "decided", label: "Decided" },
  { id: "appeals", label: "Appeals" },
] as const;
type Tab = (typeof tabs)[number]["id"];

function isTab(value: string | null): value is Tab {
  return tabs.some((t) => t.id === value);
}

function Notices({ status }: { status: "open" | "decided" }) {
  const queue = useResource(status, (signal) => moderationApi.queue(status, { signal }), 10_000);
  if (queue.error) return <ErrorNotice error={queue.error} onRetry={queue.reload} />;
  if (!queue.data) return <Spinner label="Loading the queue" />;
  if (queue.data.reports.length === 0) {
    return (
      <EmptyState
        title={status === "open" ? "No open notices" : "Nothing decided yet"}
        icon={<Icon name="check" size={28} />}
      >
        {status === "open" ? "New notices appear here, trusted flaggers' first." : null}
      </EmptyState>
    );
  }
  return <ReportQueue reports={queue.data.reports} />;
}

function Appeals() {
  const appeals = useResource(
    "pending",
    (signal) => moderationApi.appeals("pending", { signal }),
    10_000,
  );
  if (appeals.error) return <ErrorNotice error={appeals.error} onRetry={appeals.reload} />;
  if (!appeals.data) return <Spinner label="Loading appeals" />;
  if (appeals.data.appeals.length === 0) {
    return <EmptyState title="No appeals waiting" icon={<Icon name="check" size={28} />} />;
  }
  return <AppealQueue appeals={appeals.data.appeals} onDecided={() => {}} />;
}

/** `/moderation`: the moderator console: the notice queue, decided notices and appeals. */
export function ModerationPage() {
  const [search, setSearch] = useSearchParams();
  const requested = search.get("tab");
  const tab: Tab = isTab(requested) ? requested : "open";
  let panel: ReactNode;
  if (tab === "appeals") panel = <Appeals />;
  else panel = <Notices key={tab} status={tab} />;
  return (
    <div className="page moderation-page" data-testid="moderation-page">
      <title>Moderation · Amphi</title>
      <div className="section-head">
        <h1 className="page-title">
          <Icon name="shield" size={24} /> Moderation
        </h1>
        <Link to="/transparency" className="btn btn-ghost btn-sm">
          Transparency report
        </Link>
      </div>
      <div className="tabs" role="tablist" aria-label="Moderation">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="moderation-panel"
            className={tab === t.id ? "tab tab-on" : "tab"}
            data-testid={`tab-${t.id}`}
            onClick={() => setSearch(t.id === "open" ? {} : { tab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        id="moderation-panel"
        role="tabpanel"
        aria-labelledby={`tab-${tab}`}
        className="tab-panel"
      >
        {panel}
      </div>
    </div>
  );
}
