import { useEffect, useState } from "react";
import { Link } from "react-router";
import { notificationsApi } from "../api/notifications";
import type { Notification } from "../api/types";
import { EmptyState } from "../components/feedback/EmptyState";
import { ErrorNotice } from "../components/feedback/ErrorNotice";
import { Spinner } from "../components/feedback/Spinner";
import { formatRelative } from "../lib/format";
import { NotificationPreferencesSection } from "../notifications/NotificationPreferencesSection";
import { useNotifications } from "../notifications/notifications-context";

/** The inbox: newest first, mark read, links to the Space; then the preferences. */
export function NotificationsPage() {
  const { setUnread } = useNotifications();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    notificationsApi
      .page()
      .then((page) => {
        setItems(page.notifications);
        setCursor(page.nextCursor);
        setUnread(page.unread);
      })
      .catch(setError);
  }, [setUnread]);

  async function more() {
    if (!cursor) return;
    try {
      const page = await notificationsApi.page(cursor);
      setItems((list) => [...(list ?? []), ...page.notifications]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  }

  async function markRead(ids: string[] | "all") {
    try {
      const { unread } = await notificationsApi.markRead(ids === "all" ? { all: true } : { ids });
      const now = new Date().toISOString();
      setItems((list) =>
        (list ?? []).map((n) =>
          ids === "all" || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n,
        ),
      );
      setUnread(unread);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="page notifications-page">
      <section className="card" aria-labelledby="inbox-title">
        <div className="section-head">
          <h1 id="inbox-title">Notifications</h1>
          {items?.some((n) => !n.readAt) && (
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              onClick={() => markRead("all")}
            >
              Mark all read
            </button>
          )}
        </div>
        {error ? <ErrorNotice error={error} /> : null}
        {items === null ? (
          <Spinner />
        ) : items.length === 0 ? (
          <EmptyState title="Nothing yet">
            Follow hosts and set reminders: you will hear when they go live.
          </EmptyState>
        ) : (
          <ul className="notification-list" data-testid="notification-list">
            {items.map((n) => (
              <li key={n.id} className={n.readAt ? "notification" : "notification unread"}>
                <Link
                  to={n.url}
                  onClick={() => !n.readAt && markRead([n.id])}
                  data-testid="notification-link"
                >
                  {n.text}
                </Link>
                <span className="muted notification-time">{formatRelative(n.createdAt)}</span>
                {!n.readAt && (
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    onClick={() => markRead([n.id])}
                  >
                    Mark read
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {cursor && (
          <button type="button" className="btn btn-secondary" onClick={more}>
            Older
          </button>
        )}
      </section>
      <NotificationPreferencesSection />
    </div>
  );
}
