import { useState } from "react";
import type { ReportTargetType } from "../../api/types";
import type { MomentReader } from "../../moderation/report-moment";
import { Icon } from "../Icon";
import { ReportDialog } from "./ReportDialog";

/**
 * "Report" on a Space, a clip or a profile: opens the notice form (anyone may send one,
 * logged in or not). On a Space, `moment` reads where the listener is when they press it.
 */
export function ReportButton({
  target,
  subject,
  moment,
}: {
  target: { type: ReportTargetType; id: string };
  /** What is reported, in words: "the Space “Rates and risks”", "@ana's profile". */
  subject: string;
  moment?: MomentReader;
}) {
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState<ReturnType<MomentReader>>(null);
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost btn-sm report-button"
        data-testid="report-button"
        aria-haspopup="dialog"
        onClick={() => {
          setAt(moment?.() ?? null);
          setOpen(true);
        }}
      >
        <Icon name="flag" size={16} />
        <span>Report</span>
      </button>
      {open && (
        <ReportDialog
          target={target}
          subject={subject}
          moment={at}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
