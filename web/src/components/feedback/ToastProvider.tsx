import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../api/api-error";
import { type Toast, type ToastApi, ToastContext, type ToastTone } from "./toast-context";

const lifetimeMs = 5000;
const maxToasts = 3;

/** Short messages at the bottom of the screen, announced through an aria-live region. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    setToasts((list) => list.filter((t) => t.id !== id));
  }, []);

  const show = useCallback(
    (message: string, tone: ToastTone = "info", link?: Toast["link"]) => {
      const id = nextId.current++;
      setToasts((list) =>
        [...list.filter((t) => t.message !== message), { id, message, tone, link }].slice(
          -maxToasts,
        ),
      );
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        dismiss(id);
      }, lifetimeMs);
      timers.current.add(timer);
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
    };
  }, []);

  const api = useMemo<ToastApi>(
    () => ({ show, error: (error: unknown) => show(errorMessage(error), "error") }),
    [show],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toasts" aria-live="polite" aria-label="Notifications">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast-${toast.tone}`}
            role={toast.tone === "error" ? "alert" : undefined}
          >
            <span>{toast.message}</span>
            {toast.link && (
              <Link className="toast-link" to={toast.link.to} onClick={() => dismiss(toast.id)}>
                {toast.link.label}
              </Link>
            )}
            <button
              type="button"
              className="toast-close"
              aria-label="Dismiss notification"
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}
