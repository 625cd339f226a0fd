import { type FormEvent, useState } from "react";
import { useSearchParams } from "react-router";
import { transparencyApi } from "../api/moderation";
import type { TransparencyReport } from "../api/types";
import { useResource } from "../components/discovery/use-resource";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { PageSpinner } from "../components/feedback/Spinner";
import { formatDateTime } from "../lib/format";
import { formatSpan } from "../moderation/appeal-window";
import {
  actionLabels,
  categoryLabels,
  groundLabels,
  sourceLabels,
  targetTypeLabels,
} from "../moderation/labels";
import {
  type Period,
  periodFromSearch,
  periodPresets,
  periodRange,
  rankedCounts,
} from "../moderation/transparency-period";

/** One count table with a bar per row, largest first; "None" when every count is zero. */
function Counts<K extends string>({
  title,
  counts,
  labels,
  testId,
}: {
  title: string;
  counts: Partial<Record<K, number>>;
  labels: Record<K, string>;
  testId: string;
}) {
  const rows = rankedCounts(counts);
  const max = rows[0]?.[1] ?? 0;
  return (
    <section className="card transparency-table" data-testid={testId}>
      <h3 className="subsection-title">{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">None</p>
      ) : (
        <table className="count-table">
          <tbody>
            {rows.map(([key, n]) => (
              <tr key={key} data-key={key}>
                <th scope="row">{labels[key] ?? key}</th>
                <td className="count-bar-cell">
                  <span
                    className="count-bar"
                    style={{ width: `${Math.max(4, (n / max) * 100)}%` }}
                  />
                </td>
                <td className="count-number">{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Figure({
  label,
  value,
  testId,
}: {
  label: string;
  value: string | number;
  testId: string;
}) {
  return (
    <div className="figure" data-testid={testId}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </div>
  );
}

function ReportBody({ report }: { report: TransparencyReport }) {
  const { notices, actions, appeals, automation } = report;
  return (
    <>
      <div className="figures">
        <Figure label="Notices received" value={notices.total} testId="figure-notices" />
        <Figure label="Decisions taken" value={actions.total} testId="figure-actions" />
        <Figure
          label="Median time from notice to decision"
          value={formatSpan(actions.medianSecondsNoticeToAction)}
          testId="figure-median"
        />
        <Figure label="Appeals" value={appeals.total} testId="figure-appeals" />
      </div>

      <h2 className="section-title">Notices (Art. 16)</h2>
      <div className="transparency-grid">
        <Counts
          title="By category"
          counts={notices.byCategory}
          labels={categoryLabels}
          testId="notices-by-category"
        />
        <Counts
          title="By source"
          counts={notices.bySource}
          labels={sourceLabels}
          testId="notices-by-source"
        />
        <Counts
          title="By what was reported"
          counts={notices.byTargetType}
          labels={targetTypeLabels}
          testId="notices-by-target"
        />
      </div>

      <h2 className="section-title">Decisions</h2>
      <div className="transparency-grid">
        <Counts
          title="By action"
          counts={actions.byType}
          labels={actionLabels}
          testId="actions-by-type"
        />
        <Counts
          title="By ground"
          counts={actions.byGround}
          labels={groundLabels}
          testId="actions-by-ground"
        />
      </div>

      <h2 className="section-title">Appeals (Art. 20)</h2>
      <div className="figures" data-testid="appeals">
        <Figure label="Pending" value={appeals.pending} testId="appeals-pending" />
        <Figure label="Upheld" value={appeals.upheld} testId="appeals-upheld" />
        <Figure label="Reversed" value={appeals.reversed} testId="appeals-reversed" />
        <Figure
          label="Median time to decide"
          value={formatSpan(appeals.medianSecondsToDecision)}
          testId="appeals-median"
        />
      </div>

      <h2 className="section-title">Automated means</h2>
      <section className="card" data-testid="automation">
        <p>{automation.description}</p>
        <p className="muted">
          Decisions where automated means detected the content: {automation.automatedDetection}.
          Decisions taken by automated means: {automation.automatedDecision}.
        </p>
      </section>
      <p className="field-hint">Generated {formatDateTime(report.generatedAt)}.</p>
    </>
  );
}

/**
 * `/transparency`: the public transparency report (DSA Art. 15 and 24) for a period anyone
 * picks: notices, decisions, the time they took, appeals and automation.
 */
export function TransparencyPage() {
  const [search, setSearch] = useSearchParams();
  const period = periodFromSearch(search, Date.now());
  const [draft, setDraft] = useState<Period>(period);
  const range = periodRange(period);
  const report = useResource(`${range.from}/${range.to}`, (signal) =>
    transparencyApi.report(range.from, range.to, { signal }),
  );
  const show = (next: Period) => {
    setDraft(next);
    setSearch({ from: next.from, to: next.to });
  };
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (draft.from && draft.to && draft.from <= draft.to) show(draft);
  }

  return (
    <div className="page transparency-page" data-testid="transparency-page">
      <title>Transparency report · Amphi</title>
      <section className="card transparency-head" aria-labelledby="transparency-title">
        <h1 id="transparency-title" className="page-title">
          Transparency report
        </h1>
        <p className="muted">
          How this Amphi handled notices of illegal content and of content against its terms, under
          the EU Digital Services Act, from <strong>{period.from}</strong> to{" "}
          <strong>{period.to}</strong> (UTC).
        </p>
        <form className="period-form" onSubmit={onSubmit}>
          <div className="field">
            <label htmlFor="period-from" className="field-label">
              From
            </label>
            <input
              id="period-from"
              type="date"
              className="input"
              value={draft.from}
              max={draft.to}
              onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))}
              data-testid="period-from"
            />
          </div>
          <div className="field">
            <label htmlFor="period-to" className="field-label">
              To
            </label>
            <input
              id="period-to"
              type="date"
              className="input"
              value={draft.to}
              min={draft.from}
              onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))}
              data-testid="period-to"
            />
          </div>
          <button type="submit" className="btn btn-primary" data-testid="period-show">
            Show
          </button>
          <div className="period-presets">
            {periodPresets(Date.now()).map((p) => (
              <button
                key={p.label}
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => show(p.period)}
              >
                {p.label}
              </button>
            ))}
          </div>
        </form>
      </section>
      {report.error ? (
        <ErrorNotice
          error={report.error}
          title="We couldn't build the report"
          onRetry={report.reload}
        />
      ) : report.data ? (
        <ReportBody report={report.data} />
      ) : (
        <PageSpinner label="Building the report" />
      )}
    </div>
  );
}
