import { createContext, useContext } from "react";

export type ToastTone = "info" | "success" | "error";

export interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
  /** Where the toast leads (a notification's Space). */
  link?: { to: string; label: string } | undefined;
}

export interface ToastApi {
  show: (message: string, tone?: ToastTone, link?: Toast["link"]) => void;
  /** Shows the message of an error (an ApiError's server message). */
  error: (error: unknown) => void;
}

export const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const value = useContext(ToastContext);
  if (!value) throw new Error("useToast must be used inside <ToastProvider>");
  return value;
}
