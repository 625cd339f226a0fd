import { Link } from "react-router";
import type { Report } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { formatClock } from "../../media/time";
import {
  actionLabels,
  categoryLabels,
  groundLabels,
  targetTypeLabels,
} from "../../moderation/labels";

/** Where the reported thing lives in the app (an account target's id is its handle or id). */
export function targetPath(target: Report["target"]): string {
  const id = encodeURIComponent(target.id);
  if (target.type === "space") return `/spaces/${id}`;
  if (target.type === "clip") return `/clips/${id}`;
  return `/u/${id}`;
}

/** A notice's status as its reporter (or a moderator) reads it. */
export function ReportSummary({ report, token }: { report: Report; token?: string | null }) {
  const { target, decision } = report;
  const statementLink = decision
    ? `/statements/${encodeURIComponent(decision.statementId)}${token ? `?token=${encodeURIComponent(token)}` : ""}`
    : null;
  return (
    <dl className="details-list" data-testid="report-summary">
      <dt>Status</dt>
      <dd>
        <span
          className={report.status === "open" ? "badge badge-scheduled" : "badge badge-decided"}
          data-testid="report-status"
        >
          {report.status === "open" ? "Under review" : "Decided"}
        </span>
      </dd>
      <dt>Reported</dt>
      <dd>
        {targetTypeLabels[target.type]} · <Link to={targetPath(target)}>open it</Link>
        {target.offsetSeconds !== null && (
          <>
            {" "}
            · at {formatClock(target.offsetSeconds)}
            {target.moment === "live" ? " (live)" : target.moment === "replay" ? " (replay)" : ""}
          </>
        )}
      </dd>
      <dt>Category</dt>
      <dd>
        {categoryLabels[report.category]}{" "}
        <span className="muted">({groundLabels[report.ground]})</span>
      </dd>
      <dt>Received</dt>
      <dd>
        <time dateTime={report.createdAt}>{formatDateTime(report.createdAt)}</time>
      </dd>
      <dt>Your explanation</dt>
      <dd className="prewrap">{report.explanation}</dd>
      {decision && statementLink && (
        <>
          <dt>Decision</dt>
          <dd data-testid="report-decision">
            <strong>{actionLabels[decision.action]}</strong>, on{" "}
            <time dateTime={decision.decidedAt}>{formatDateTime(decision.decidedAt)}</time> ·{" "}
            <Link to={statementLink} data-testid="report-statement-link">
              Read the reasons
            </Link>
          </dd>
        </>
      )}
    </dl>
  );
}
