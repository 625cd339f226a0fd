import { Link } from "react-router";
import type { ModerationReport } from "../../api/types";
import { formatRelative } from "../../lib/format";
import { formatClock } from "../../media/time";
import { actionLabels, categoryLabels, targetTypeLabels } from "../../moderation/labels";

function subjectName(report: ModerationReport): string {
  const { space, clip, account } = report.subject;
  if (space) return `“${space.title}”`;
  if (clip) return "a clip";
  if (account) return `@${account.handle}`;
  return "(gone)";
}

/** The queue: trusted flaggers first, then oldest first (the server's order, kept). */
export function ReportQueue({ reports }: { reports: ModerationReport[] }) {
  return (
    <ol className="queue" data-testid="report-queue">
      {reports.map((r) => (
        <li key={r.id} className="queue-item" data-testid="queue-item" data-report-id={r.id}>
          <Link to={`/moderation/reports/${encodeURIComponent(r.id)}`} className="queue-link">
            <span className="queue-top">
              {r.priority === "trusted-flagger" && (
                <span className="badge badge-flagger">Trusted flagger</span>
              )}
              <span
                className={r.ground === "illegal" ? "badge badge-illegal" : "badge badge-terms"}
              >
                {r.ground === "illegal" ? "Illegal" : "Terms"}
              </span>
              <strong className="queue-category">{categoryLabels[r.category]}</strong>
            </span>
            <span className="queue-sub">
              {targetTypeLabels[r.target.type]} {subjectName(r)}
              {r.target.offsetSeconds !== null && ` · at ${formatClock(r.target.offsetSeconds)}`}
              {r.target.moment === "live" && r.subject.space?.state === "live" && (
                <span className="badge badge-live queue-live">
                  <span className="live-dot" aria-hidden="true" />
                  LIVE
                </span>
              )}
            </span>
            <span className="queue-explanation">{r.explanation}</span>
          </Link>
          <span className="queue-age">
            <time dateTime={r.createdAt}>{formatRelative(r.createdAt)}</time>
            {r.decision && <span className="muted"> · {actionLabels[r.decision.action]}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
