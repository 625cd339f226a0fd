import { createContext, useContext } from "react";

export interface NotificationsState {
  /** Unread notifications; null until known (or logged out). */
  unread: number | null;
  setUnread: (n: number) => void;
}

export const NotificationsContext = createContext<NotificationsState>({
  unread: null,
  setUnread: () => {},
});

export function useNotifications(): NotificationsState {
  return useContext(NotificationsContext);
}
