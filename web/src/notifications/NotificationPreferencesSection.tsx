import { type FormEvent, useEffect, useId, useState } from "react";
import { Link } from "react-router";
import { notificationsApi } from "../api/notifications";
import type { NotificationPreferences } from "../api/types";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { useToast } from "../components/feedback/toast-context";
import { currentSubscription, disablePush, enablePush, pushSupported } from "./web-push";

const defaultZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Push on/off (browser permission + service worker), quiet hours, muted hosts. */
export function NotificationPreferencesSection() {
  const id = useId();
  const toast = useToast();
  const [prefs, setPrefs] = useState<NotificationPreferences | null>(null);
  const [subscribed, setSubscribed] = useState(false);
  const [quietOn, setQuietOn] = useState(false);
  const [start, setStart] = useState("22:00");
  const [end, setEnd] = useState("07:00");
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    notificationsApi
      .preferences()
      .then((p) => {
        setPrefs(p);
        setQuietOn(p.quietHours !== null);
        if (p.quietHours) {
          setStart(p.quietHours.start);
          setEnd(p.quietHours.end);
        }
      })
      .catch(setError);
    currentSubscription()
      .then((s) => setSubscribed(s !== null))
      .catch(() => {});
  }, []);

  async function togglePush() {
    try {
      if (subscribed) {
        await disablePush();
        setSubscribed(false);
        return;
      }
      const outcome = await enablePush();
      if (outcome === "on") {
        setSubscribed(true);
        if (prefs && !prefs.push)
          setPrefs(await notificationsApi.updatePreferences({ push: true }));
      } else {
        toast.show(
          outcome === "denied"
            ? "The browser blocks notifications for this site."
            : "This browser cannot receive push notifications.",
          "error",
        );
      }
    } catch (e) {
      toast.error(e);
    }
  }

  async function saveQuiet(event: FormEvent) {
    event.preventDefault();
    try {
      setPrefs(
        await notificationsApi.updatePreferences({
          quietHours: quietOn ? { start, end, timeZone: defaultZone } : null,
        }),
      );
      toast.show("Quiet hours saved.", "success");
    } catch (e) {
      toast.error(e);
    }
  }

  async function unmute(handle: string) {
    try {
      await notificationsApi.unmute(handle);
      setPrefs((p) => p && { ...p, muted: p.muted.filter((a) => a.handle !== handle) });
    } catch (e) {
      toast.error(e);
    }
  }

  if (error) return <ErrorNotice error={error} />;
  if (!prefs) return null;
  return (
    <section className="card notification-prefs" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Notification settings</h2>
      <div className="pref-row">
        <span>Push notifications on this device</span>
        <button
          type="button"
          className={subscribed ? "btn btn-secondary btn-sm" : "btn btn-primary btn-sm"}
          onClick={togglePush}
          disabled={!pushSupported()}
          data-testid="push-toggle"
        >
          {subscribed ? "Turn off" : "Turn on"}
        </button>
      </div>
      <form className="pref-row quiet-hours" onSubmit={saveQuiet}>
        <label>
          <input type="checkbox" checked={quietOn} onChange={(e) => setQuietOn(e.target.checked)} />{" "}
          Quiet hours (no push, no pop-ups; the inbox still fills)
        </label>
        <label>
          from{" "}
          <input
            type="time"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            disabled={!quietOn}
          />
        </label>
        <label>
          to{" "}
          <input
            type="time"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
            disabled={!quietOn}
          />
        </label>
        <span className="muted">{defaultZone}</span>
        <button type="submit" className="btn btn-secondary btn-sm">
          Save
        </button>
      </form>
      <h3>Muted hosts</h3>
      {prefs.muted.length === 0 ? (
        <p className="muted">Nobody. Mute a host from their profile.</p>
      ) : (
        <ul className="muted-hosts">
          {prefs.muted.map((a) => (
            <li key={a.id}>
              <Link to={`/@${a.handle}`}>
                {a.displayName} <span className="muted">@{a.handle}</span>
              </Link>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => unmute(a.handle)}
              >
                Unmute
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
