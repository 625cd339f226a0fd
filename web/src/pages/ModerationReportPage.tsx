import { type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { moderationApi } from "../api/moderation";
import type { ModerationReport, SpaceState, Statement } from "../api/types";
import { useResource } from "../components/discovery/use-resource";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { PageSpinner } from "../components/feedback/Spinner";
import { DecidedNote, DecisionForm } from "../components/moderation/DecisionForm";
import { ModeratorPlayer } from "../components/moderation/ModeratorPlayer";
import { targetPath } from "../components/moderation/ReportSummary";
import { ProfileLink } from "../components/ProfileLink";
import { StateBadge } from "../components/StateBadge";
import { formatDateTime, formatRelative } from "../lib/format";
import { formatClock } from "../media/time";
import { actionLabels, categoryLabels, groundLabels, targetTypeLabels } from "../moderation/labels";

function Notice({ report }: { report: ModerationReport }) {
  const { target } = report;
  return (
    <dl className="details-list">
      <dt>Category</dt>
      <dd>
        {categoryLabels[report.category]}{" "}
        <span className="muted">({groundLabels[report.ground]})</span>
      </dd>
      <dt>Reported</dt>
      <dd>
        {targetTypeLabels[target.type]} · <Link to={targetPath(target)}>open it</Link>
        {target.offsetSeconds !== null && (
          <>
            {" "}
            · moment <strong>{formatClock(target.offsetSeconds)}</strong>
            {target.moment ? ` (${target.moment})` : ""}
          </>
        )}
      </dd>
      <dt>Received</dt>
      <dd>
        <time dateTime={report.createdAt}>{formatDateTime(report.createdAt)}</time> (
        {formatRelative(report.createdAt)})
      </dd>
      <dt>From</dt>
      <dd>
        {report.priority === "trusted-flagger" && (
          <span className="badge badge-flagger">Trusted flagger</span>
        )}{" "}
        {report.reporter ? (
          <ProfileLink handle={report.reporter.handle} displayName={report.reporter.displayName} />
        ) : (
          "Someone not logged in"
        )}
        {report.reporterName && ` · ${report.reporterName}`}
        {report.reporterEmail && ` · ${report.reporterEmail}`}
      </dd>
      <dt>Explanation</dt>
      <dd className="prewrap" data-testid="notice-explanation">
        {report.explanation}
      </dd>
    </dl>
  );
}

function Subject({ report }: { report: ModerationReport }) {
  const { space, account } = report.subject;
  if (!space && !account) return <p className="muted">The reported content is gone.</p>;
  return (
    <dl className="details-list">
      {space && (
        <>
          <dt>Space</dt>
          <dd>
            <Link to={`/spaces/${encodeURIComponent(space.id)}`}>{space.title}</Link>{" "}
            <StateBadge state={space.state as SpaceState} />
          </dd>
          <dt>Host</dt>
          <dd>
            <ProfileLink handle={space.host.handle} displayName={space.host.displayName} />
          </dd>
          {space.state === "live" && (
            <>
              <dt>On stage now</dt>
              <dd data-testid="subject-stage">
                {space.stage.length === 0
                  ? "Nobody"
                  : space.stage.map((s, i) => (
                      <span key={s.id}>
                        {i > 0 && ", "}
                        <ProfileLink handle={s.handle} displayName={s.displayName} />
                      </span>
                    ))}
              </dd>
            </>
          )}
        </>
      )}
      {account && !space && (
        <>
          <dt>Account</dt>
          <dd>
            <ProfileLink handle={account.handle} displayName={account.displayName} />
          </dd>
        </>
      )}
    </dl>
  );
}

/** `/moderation/reports/:id`: one notice, the reported moment to hear, and the decision. */
export function ModerationReportPage() {
  const { id = "" } = useParams();
  const answer = useResource(id, (signal) => moderationApi.report(id, { signal }));
  const [decided, setDecided] = useState<{
    report: ModerationReport;
    statements: Statement[];
  } | null>(null);
  const [another, setAnother] = useState(false);
  const report = decided?.report ?? answer.data?.report ?? null;

  let body: ReactNode;
  if (answer.error) {
    body = (
      <ErrorNotice
        error={answer.error}
        title="We couldn't load this notice"
        onRetry={answer.reload}
      />
    );
  } else if (!report) {
    body = <PageSpinner label="Loading the notice" />;
  } else {
    const open = report.status === "open";
    body = (
      <div className="moderation-detail">
        <div className="moderation-detail-main">
          <section className="card" aria-labelledby="notice-title">
            <div className="section-head">
              <h1 id="notice-title" className="page-title">
                Notice
              </h1>
              <span
                className={open ? "badge badge-scheduled" : "badge badge-decided"}
                data-testid="notice-status"
              >
                {open ? "Open" : "Decided"}
              </span>
            </div>
            <p className="muted">
              Reference <code className="ref">{report.id}</code>
            </p>
            <Notice report={report} />
          </section>
          <section className="card" aria-labelledby="hear-title">
            <h2 id="hear-title" className="section-title">
              {report.playback?.kind === "live"
                ? "Hear the Space live"
                : "Hear the reported moment"}
            </h2>
            {report.playback?.kind === "live" && report.target.offsetSeconds !== null && (
              <p className="field-hint">
                The moment reported was {formatClock(report.target.offsetSeconds)} into the Space.
                Live, you hear it as it is now; the recording (if any) keeps the moment itself.
              </p>
            )}
            <ModeratorPlayer playback={report.playback} />
          </section>
        </div>
        <aside className="moderation-detail-side" aria-label="Decision">
          <section className="card" aria-labelledby="subject-title">
            <h2 id="subject-title" className="section-title">
              What was reported, now
            </h2>
            <Subject report={report} />
          </section>
          <section className="card" aria-labelledby="decide-title">
            <h2 id="decide-title" className="section-title">
              Decision
            </h2>
            {decided?.statements.map((s) => (
              <DecidedNote key={s.id} statement={s} />
            ))}
            {report.decision && !decided && (
              <p data-testid="notice-decision">
                First decision: <strong>{actionLabels[report.decision.action]}</strong>,{" "}
                {formatRelative(report.decision.decidedAt)} ·{" "}
                <Link to={`/statements/${encodeURIComponent(report.decision.statementId)}`}>
                  statement
                </Link>
              </p>
            )}
            {open || another ? (
              <DecisionForm
                key={decided?.statements.length ?? 0}
                report={report}
                onDecided={(next, statement) => {
                  setAnother(false);
                  setDecided((d) => ({
                    report: next,
                    statements: [...(d?.statements ?? []), statement],
                  }));
                }}
              />
            ) : (
              report.decision?.action !== "dismiss" && (
                <button
                  type="button"
                  className="btn btn-secondary"
                  onClick={() => setAnother(true)}
                  data-testid="another-action"
                >
                  Another action on this notice
                </button>
              )
            )}
          </section>
        </aside>
      </div>
    );
  }
  return (
    <div className="page moderation-page" data-testid="moderation-report-page">
      <title>Notice · Moderation · Amphi</title>
      <p className="back-link">
        <Link to="/moderation">← Queue</Link>
      </p>
      {body}
    </div>
  );
}
