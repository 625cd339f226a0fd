import { type FormEvent, useId, useState } from "react";
import type { SpaceActions } from "./use-space-actions";

/** Invite someone by handle to speak (or, for the host, to co-host). */
export function InviteForm({
  actions,
  canInviteCohost,
}: {
  actions: SpaceActions;
  canInviteCohost: boolean;
}) {
  const id = useId();
  const [handle, setHandle] = useState("");
  const [role, setRole] = useState<"speaker" | "cohost">("speaker");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const clean = handle.trim().replace(/^@/, "").toLowerCase();
    if (!clean) return;
    if (await actions.invite(clean, role)) setHandle("");
  }

  return (
    <form className="invite-form" onSubmit={onSubmit}>
      <label htmlFor={`${id}-handle`} className="field-label">
        Invite someone to the stage
      </label>
      <div className="invite-row">
        <input
          id={`${id}-handle`}
          className="input"
          placeholder="@handle"
          value={handle}
          onChange={(e) => setHandle(e.target.value)}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          data-testid="invite-handle"
        />
        {canInviteCohost && (
          <select
            className="input select"
            aria-label="Invite as"
            value={role}
            onChange={(e) => setRole(e.target.value === "cohost" ? "cohost" : "speaker")}
          >
            <option value="speaker">Speaker</option>
            <option value="cohost">Co-host</option>
          </select>
        )}
        <button type="submit" className="btn btn-secondary" data-testid="invite-submit">
          Invite
        </button>
      </div>
    </form>
  );
}
