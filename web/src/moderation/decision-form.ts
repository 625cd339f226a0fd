import type {
  DecisionInput,
  ModerationAction,
  ModerationReport,
  ReportCategory,
} from "../api/types";

/** Whether an action can be taken on a report's subject as it is now, and why not. */
export interface ActionChoice {
  action: ModerationAction;
  allowed: boolean;
  /** Why it is not allowed (shown beside the disabled choice). */
  reason: string | null;
}

const order: ModerationAction[] = [
  "dismiss",
  "warn",
  "limit_reach",
  "remove_speaker",
  "end_space",
  "suspend",
];

function refusal(action: ModerationAction, report: ModerationReport): string | null {
  const { space, account } = report.subject;
  const live = space?.state === "live";
  switch (action) {
    case "dismiss":
      return null;
    case "warn":
    case "suspend":
      return account ? null : "Nobody to act on: the account is gone.";
    case "limit_reach":
      return space || report.subject.clip || account ? null : "The reported content is gone.";
    case "remove_speaker":
      if (!live) return "Only while the Space is live.";
      return space && space.stage.length > 0 ? null : "Nobody is on stage.";
    case "end_space":
      return live ? null : "Only while the Space is live.";
  }
}

/** The actions in the order the console lists them, each with whether it applies now. */
export function actionChoices(report: ModerationReport): ActionChoice[] {
  return order.map((action) => {
    const reason = refusal(action, report);
    return { action, allowed: reason === null, reason };
  });
}

/** Actions that last: a moderator picks a number of days or "for good". */
export const lastingActions: ReadonlySet<ModerationAction> = new Set(["limit_reach", "suspend"]);

/** The console's form, as typed. */
export interface DecisionForm {
  action: ModerationAction;
  category: ReportCategory;
  groundReference: string;
  facts: string;
  explanation: string;
  /** "" for good; else a whole number of days. */
  durationDays: string;
  speakerHandle: string;
}

export type DecisionCheck =
  | { ok: true; input: DecisionInput }
  | { ok: false; errors: Partial<Record<keyof DecisionForm, string>> };

/**
 * The body of `POST /api/moderation/reports/:id/decision` from the form, or the fields to fix
 * first (the server checks again; these spare a round trip and say it in plain words).
 */
export function decisionInput(form: DecisionForm): DecisionCheck {
  const errors: Partial<Record<keyof DecisionForm, string>> = {};
  const explanation = form.explanation.trim();
  const groundReference = form.groundReference.trim();
  const facts = form.facts.trim();
  if (!explanation) errors.explanation = "Explain the decision.";
  if (form.action !== "dismiss" && !groundReference)
    errors.groundReference = "Name the law or the terms clause the decision rests on.";
  let durationDays: number | undefined;
  if (lastingActions.has(form.action) && form.durationDays.trim() !== "") {
    const days = Number(form.durationDays);
    if (!Number.isInteger(days) || days < 1 || days > 3650)
      errors.durationDays = "A whole number of days from 1 to 3650, or for good.";
    else durationDays = days;
  }
  if (form.action === "remove_speaker" && !form.speakerHandle)
    errors.speakerHandle = "Choose who leaves the stage.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const input: DecisionInput = { action: form.action, category: form.category, explanation };
  if (groundReference) input.groundReference = groundReference;
  if (facts) input.facts = facts;
  if (durationDays !== undefined) input.durationDays = durationDays;
  if (form.action === "remove_speaker") input.speakerHandle = form.speakerHandle;
  return { ok: true, input };
}
