import { type ReactNode, useEffect, useMemo, useState } from "react";
import { FirstSeenIds } from "../../../src/domain/notifications/first-seen-ids.ts";
import { notificationsApi } from "../api/notifications";
import type { NotificationPush } from "../api/types";
import { useSession } from "../auth/session-context";
import { useToast } from "../components/feedback/toast-context";
import { backoffDelay, pingIntervalMs } from "../live/backoff";
import { NotificationsContext } from "./notifications-context";

function socketUrl(location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/notifications/live`;
}

/**
 * The logged-in person's notifications while the app is open: the unread count (for the
 * bell), and a socket of their own (`/api/notifications/live`) whose pushes become toasts
 * linking to the Space, each notification once (a retried delivery repeats its id). Reconnects
 * with backoff; nothing at all for visitors.
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const { account } = useSession();
  const toast = useToast();
  const [unread, setUnread] = useState<number | null>(null);
  const accountId = account?.id ?? null;

  useEffect(() => {
    if (!accountId) {
      setUnread(null);
      return;
    }
    let closed = false;
    let socket: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let ping: ReturnType<typeof setInterval> | undefined;
    let attempt = 0;
    // A delivery retried (or moved to another node) arrives again: shown and counted once.
    const seen = new FirstSeenIds(500);
    notificationsApi
      .page()
      .then((page) => !closed && setUnread(page.unread))
      .catch(() => {});
    const open = () => {
      const ws = new WebSocket(socketUrl());
      socket = ws;
      ws.onopen = () => {
        attempt = 0;
        ping = setInterval(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
        }, pingIntervalMs);
      };
      ws.onmessage = (event) => {
        let message: NotificationPush | { type: string };
        try {
          message = JSON.parse(String(event.data));
        } catch {
          return;
        }
        if (message.type !== "notification" || !("notification" in message)) return;
        const n = message.notification;
        if (!seen.first(n.id)) return;
        setUnread((u) => (u ?? 0) + 1);
        toast.show(n.text, "info", { to: n.url, label: n.space ? "Open" : "See" });
      };
      ws.onclose = () => {
        clearInterval(ping);
        if (closed) return;
        retry = setTimeout(open, backoffDelay(attempt++));
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(retry);
      clearInterval(ping);
      socket?.close();
    };
  }, [accountId, toast]);

  const value = useMemo(() => ({ unread, setUnread }), [unread]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}
