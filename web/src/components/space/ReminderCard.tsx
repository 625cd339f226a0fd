import { Link, useLocation } from "react-router";
import { calendarFileUrl } from "../../api/reminders";
import type { Reminder, SpaceDocument } from "../../api/types";
import { Icon } from "../Icon";
import { useReminder } from "./use-reminder";

type Moment = "at24h" | "at1h" | "atStart";

const moments: { key: Moment; label: string }[] = [
  { key: "at24h", label: "24 hours before" },
  { key: "at1h", label: "1 hour before" },
  { key: "atStart", label: "When it starts" },
];

/**
 * "Remind me" and "Add to calendar" on a scheduled Space. Once set, the reminder opens into
 * its three moments and a way to remove it; someone not logged in is asked to log in first.
 */
export function ReminderCard({
  space,
  loggedIn,
  canRemind,
}: {
  space: SpaceDocument;
  loggedIn: boolean;
  /** The host plans the Space: they get the calendar file, not a reminder. */
  canRemind: boolean;
}) {
  const location = useLocation();
  const { reminder, busy, set, remove } = useReminder(space.id, loggedIn && canRemind);
  const [heading, sub] = !canRemind
    ? ["Your Space is scheduled", "People can ask for a reminder here; the count is below."]
    : reminder
      ? ["We'll remind you", "Choose when, or remove the reminder."]
      : ["Don't miss it", "Get a reminder a day before, an hour before and when it starts."];

  return (
    <section
      className="card reminder-card"
      aria-labelledby="reminder-heading"
      data-testid="reminder-card"
    >
      <div className="reminder-row">
        <span className="reminder-icon" aria-hidden="true">
          <Icon name="calendar" size={20} />
        </span>
        <div className="reminder-text">
          <h2 id="reminder-heading">{heading}</h2>
          <p className="reminder-sub">{sub}</p>
        </div>
        <div className="reminder-actions">
          {canRemind &&
            (!loggedIn ? (
              <Link
                to={`/login?next=${encodeURIComponent(location.pathname)}`}
                className="btn btn-primary btn-sm"
                data-testid="reminder-login"
              >
                Log in to get a reminder
              </Link>
            ) : reminder === null ? (
              <button
                type="button"
                className="btn btn-primary btn-sm"
                data-testid="remind-me"
                onClick={() => void set({})}
                disabled={busy}
              >
                {busy ? "Setting…" : "Remind me"}
              </button>
            ) : null)}
          <a
            href={calendarFileUrl(space.id)}
            download
            className="btn btn-secondary btn-sm"
            data-testid="add-to-calendar"
          >
            Add to calendar
          </a>
        </div>
      </div>
      {reminder && (
        <ReminderMoments
          reminder={reminder}
          busy={busy}
          onChange={(key, on) => {
            const next = { at24h: reminder.at24h, at1h: reminder.at1h, atStart: reminder.atStart };
            next[key] = on;
            // No moment left: that is no reminder at all.
            if (!next.at24h && !next.at1h && !next.atStart) void remove();
            else void set(next);
          }}
          onRemove={() => void remove()}
        />
      )}
    </section>
  );
}

function ReminderMoments({
  reminder,
  busy,
  onChange,
  onRemove,
}: {
  reminder: Reminder;
  busy: boolean;
  onChange: (key: Moment, on: boolean) => void;
  onRemove: () => void;
}) {
  return (
    <div className="reminder-panel" data-testid="reminder-panel">
      <fieldset className="reminder-moments">
        <legend className="visually-hidden">When to remind you</legend>
        {moments.map(({ key, label }) => (
          <label className="switch reminder-switch" key={key}>
            <input
              type="checkbox"
              data-testid={`reminder-${key}`}
              checked={reminder[key]}
              onChange={(e) => onChange(key, e.target.checked)}
            />
            <span className="switch-track" aria-hidden="true" />
            <span className="choice-title">{label}</span>
          </label>
        ))}
      </fieldset>
      <button
        type="button"
        className="btn btn-ghost btn-sm reminder-remove"
        data-testid="remove-reminder"
        onClick={onRemove}
        disabled={busy}
      >
        Remove reminder
      </button>
    </div>
  );
}
