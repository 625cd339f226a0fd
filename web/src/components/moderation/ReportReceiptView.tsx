import { Link } from "react-router";
import type { CreatedReport } from "../../api/types";
import { useSession } from "../../auth/session-context";
import { formatDateTime } from "../../lib/format";
import { categoryLabels } from "../../moderation/labels";
import { receiptPath } from "../../moderation/report-moment";
import { Icon } from "../Icon";
import { CopyLinkButton } from "./CopyLinkButton";

/**
 * The receipt of a notice (Art. 16(4)): what was received and when, and where to follow it.
 * Someone not logged in gets a private link (the receipt's token is in it, shown only now);
 * someone logged in finds it under "Your reports" and hears of the decision in the inbox.
 */
export function ReportReceiptView({
  created,
  titleId,
  onDone,
}: {
  created: CreatedReport;
  titleId: string;
  onDone: () => void;
}) {
  const { account } = useSession();
  const { report, receipt } = created;
  const statusLink = receiptPath(receipt);
  return (
    <div className="report-receipt" data-testid="report-receipt" data-report-id={report.id}>
      <p className="receipt-icon" aria-hidden="true">
        <Icon name="check" size={22} />
      </p>
      <h2 id={titleId} className="confirm-title">
        Notice received
      </h2>
      <dl className="details-list">
        <dt>Reference</dt>
        <dd>
          <code data-testid="report-reference">{report.id}</code>
        </dd>
        <dt>Received</dt>
        <dd>
          <time dateTime={report.createdAt}>{formatDateTime(report.createdAt)}</time>
        </dd>
        <dt>About</dt>
        <dd>{categoryLabels[report.category]}</dd>
      </dl>
      {account ? (
        <p className="confirm-body">
          A moderator will review it. You'll get a notification with the decision, and you can
          follow it under <Link to={`/reports/${encodeURIComponent(report.id)}`}>Your reports</Link>
          .
        </p>
      ) : (
        <div className="receipt-link">
          <p className="confirm-body">
            A moderator will review it. Keep this private link to see the decision later: it is
            shown only once, and anyone who has it can read your notice.
          </p>
          <p className="receipt-url">
            <Link to={statusLink} data-testid="report-status-link">
              {new URL(statusLink, window.location.href).href}
            </Link>
          </p>
          <CopyLinkButton path={statusLink} />
        </div>
      )}
      <div className="confirm-actions">
        <button
          type="button"
          className="btn btn-primary"
          onClick={onDone}
          data-testid="report-done"
        >
          Done
        </button>
      </div>
    </div>
  );
}
