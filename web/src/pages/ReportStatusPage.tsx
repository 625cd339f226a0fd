import type { ReactNode } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { isApiError } from "../api/api-error";
import { reportsApi } from "../api/moderation";
import { useSession } from "../auth/session-context";
import { useResource } from "../components/discovery/use-resource";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { PageSpinner } from "../components/feedback/Spinner";
import { Icon } from "../components/Icon";
import { ReportSummary } from "../components/moderation/ReportSummary";

/**
 * `/reports/:id`: one notice's status and decision, for its reporter: logged in, or holding the
 * receipt's private link (`?token=`).
 */
export function ReportStatusPage() {
  const { id = "" } = useParams();
  const [search] = useSearchParams();
  const token = search.get("token");
  const { status, account } = useSession();
  const ready = status === "ready";
  const report = useResource(ready ? `${id}:${token ?? ""}` : null, (signal) =>
    reportsApi.get(id, token, { signal }),
  );

  let body: ReactNode;
  if (
    isApiError(report.error, "AMPHI_REPORT_NOT_FOUND") ||
    isApiError(report.error, "AMPHI_NOT_FOUND")
  ) {
    body = (
      <EmptyState title="We can't show this notice" icon={<Icon name="flag" size={28} />}>
        <p>
          {account
            ? "It isn't one of your notices, or the link is wrong."
            : "Open the private link from your receipt, or log in if you sent it from your account."}
        </p>
        {!account && (
          <Link
            to={`/login?next=${encodeURIComponent(`/reports/${id}`)}`}
            className="btn btn-primary"
          >
            Log in
          </Link>
        )}
      </EmptyState>
    );
  } else if (report.error) {
    body = (
      <ErrorNotice
        error={report.error}
        title="We couldn't load this notice"
        onRetry={report.reload}
      />
    );
  } else if (!report.data) {
    body = <PageSpinner label="Loading the notice" />;
  } else {
    body = (
      <section className="card" aria-labelledby="report-title">
        <h1 id="report-title" className="page-title">
          Your notice
        </h1>
        <p className="muted">
          Reference <code>{report.data.report.id}</code>
        </p>
        <ReportSummary report={report.data.report} token={token} />
        {report.data.report.status === "open" && (
          <p className="field-hint">
            A moderator hasn't decided yet.{" "}
            {account ? "You'll get a notification." : "Come back to this link."}
          </p>
        )}
      </section>
    );
  }
  return (
    <div className="page medium report-page" data-testid="report-page">
      <title>Your notice · Amphi</title>
      {account && (
        <p className="back-link">
          <Link to="/reports">← Your reports</Link>
        </p>
      )}
      {body}
    </div>
  );
}
