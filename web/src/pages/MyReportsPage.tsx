import { Link } from "react-router";
import { reportsApi, statementsApi } from "../api/moderation";
import { useResource } from "../components/discovery/use-resource";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { Spinner } from "../components/feedback/Spinner";
import { Icon } from "../components/Icon";
import { formatRelative } from "../lib/format";
import {
  actionHeadlines,
  actionLabels,
  categoryLabels,
  targetTypeLabels,
} from "../moderation/labels";

/** `/reports`: the notices I sent and their status, and the decisions about me. */
export function MyReportsPage() {
  const reports = useResource("mine", (signal) => reportsApi.mine({ signal }));
  const statements = useResource("mine", (signal) => statementsApi.mine({ signal }));
  return (
    <div className="page medium" data-testid="my-reports-page">
      <title>Your reports · Amphi</title>
      <section className="card" aria-labelledby="my-reports-title">
        <h1 id="my-reports-title" className="page-title">
          Your reports
        </h1>
        {reports.error ? (
          <ErrorNotice error={reports.error} onRetry={reports.reload} />
        ) : !reports.data ? (
          <Spinner />
        ) : reports.data.reports.length === 0 ? (
          <EmptyState title="No notices sent" icon={<Icon name="flag" size={28} />}>
            Use Report on a Space, a clip or a profile when something breaks the law or Amphi's
            rules.
          </EmptyState>
        ) : (
          <ul className="plain-list" data-testid="my-reports">
            {reports.data.reports.map((r) => (
              <li key={r.id} className="list-row">
                <Link to={`/reports/${encodeURIComponent(r.id)}`} className="list-row-main">
                  <strong>{categoryLabels[r.category]}</strong>
                  <span className="muted">
                    {targetTypeLabels[r.target.type]} · sent {formatRelative(r.createdAt)}
                  </span>
                </Link>
                <span
                  className={r.status === "open" ? "badge badge-scheduled" : "badge badge-decided"}
                >
                  {r.decision ? actionLabels[r.decision.action] : "Under review"}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {statements.data && statements.data.statements.length > 0 && (
        <section className="card" aria-labelledby="my-statements-title">
          <h2 id="my-statements-title" className="section-title">
            Decisions about you
          </h2>
          <ul className="plain-list" data-testid="my-statements">
            {statements.data.statements.map((s) => (
              <li key={s.id} className="list-row">
                <Link to={`/statements/${encodeURIComponent(s.id)}`} className="list-row-main">
                  <strong>
                    {s.kind === "reversal" ? "A decision was reversed" : actionHeadlines[s.action]}
                  </strong>
                  <span className="muted">{formatRelative(s.createdAt)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
