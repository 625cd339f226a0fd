import type { ReactNode } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { isApiError } from "../api/api-error";
import { statementsApi } from "../api/moderation";
import { useSession } from "../auth/session-context";
import { useResource } from "../components/discovery/use-resource";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { PageSpinner } from "../components/feedback/Spinner";
import { Icon } from "../components/Icon";
import { AppealSection } from "../components/moderation/AppealSection";
import { StatementView, statementHeadline } from "../components/moderation/StatementView";
import { mayAppeal } from "../moderation/appeal-window";

/**
 * `/statements/:id`: a statement of reasons for the person it affects (linked from the inbox),
 * the reporter of its notice (`?token=` without an account) or a moderator, with the appeal.
 */
export function StatementPage() {
  const { id = "" } = useParams();
  const [search] = useSearchParams();
  const token = search.get("token");
  const { status, account } = useSession();
  const answer = useResource(
    status === "ready" ? `${id}:${token ?? ""}:${account?.id ?? ""}` : null,
    (signal) => statementsApi.get(id, token, { signal }),
  );

  let body: ReactNode;
  if (
    isApiError(answer.error, "AMPHI_STATEMENT_NOT_FOUND") ||
    isApiError(answer.error, "AMPHI_NOT_FOUND")
  ) {
    body = (
      <EmptyState title="We can't show this decision" icon={<Icon name="shield" size={28} />}>
        <p>
          {account
            ? "It isn't about you, or the link is wrong."
            : "Log in to read decisions about your account."}
        </p>
        {!account && (
          <Link
            to={`/login?next=${encodeURIComponent(`/statements/${id}`)}`}
            className="btn btn-primary"
          >
            Log in
          </Link>
        )}
      </EmptyState>
    );
  } else if (answer.error) {
    body = (
      <ErrorNotice
        error={answer.error}
        title="We couldn't load this decision"
        onRetry={answer.reload}
      />
    );
  } else if (!answer.data) {
    body = <PageSpinner label="Loading the decision" />;
  } else {
    const { statement } = answer.data;
    body = (
      <>
        <section className="card" aria-labelledby="statement-title">
          <p className="kicker">
            <Icon name="shield" size={16} />
            {statement.kind === "reversal"
              ? "Statement of reasons · reversal"
              : "Statement of reasons"}
          </p>
          <h1 id="statement-title" className="page-title" data-testid="statement-title">
            {statementHeadline(statement, account?.id ?? null)}
          </h1>
          <StatementView statement={statement} />
          {statement.reversesStatementId && (
            <p>
              <Link to={`/statements/${encodeURIComponent(statement.reversesStatementId)}`}>
                The decision it reverses
              </Link>
            </p>
          )}
        </section>
        {mayAppeal(statement, account?.id ?? null, token) && (
          <AppealSection
            key={statement.id}
            statement={statement}
            appeal={answer.data.appeal ?? null}
            token={token}
          />
        )}
      </>
    );
  }
  return (
    <div className="page medium statement-page" data-testid="statement-page">
      <title>Statement of reasons · Amphi</title>
      {body}
    </div>
  );
}
