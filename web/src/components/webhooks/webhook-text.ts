import type { WebhookDelivery, WebhookEventType, WebhookStatus } from "../../api/types";

/** Every event an endpoint can take, with what a host reads next to its checkbox. */
export const webhookEventLabels: Record<WebhookEventType, string> = {
  "space.scheduled": "A Space is scheduled",
  "space.live": "A Space goes live",
  "space.ended": "A Space ends",
  "recording.ready": "A recording is ready",
};

export const webhookStatusText: Record<WebhookStatus, string> = {
  active: "Active",
  failing: "Failing",
  disabled: "Disabled",
};

/** One attempt of the delivery log, in words: "Delivered · 200 · 84 ms". */
export function deliveryText(d: WebhookDelivery): string {
  const parts = [d.outcome === "delivered" ? "Delivered" : "Failed"];
  if (d.statusCode !== null) parts.push(String(d.statusCode));
  if (d.outcome === "failed" && d.error && d.error !== `HTTP ${d.statusCode}`) parts.push(d.error);
  parts.push(`${d.durationMs} ms`);
  return parts.join(" · ");
}

/** When the next attempt comes, or that none will. */
export function retryText(d: WebhookDelivery, now = Date.now()): string | null {
  if (d.outcome === "delivered") return null;
  if (!d.nextRetryAt) return "No more retries";
  const seconds = Math.max(0, Math.round((Date.parse(d.nextRetryAt) - now) / 1000));
  if (seconds < 60) return `Retry in ${seconds} s`;
  if (seconds < 3600) return `Retry in ${Math.round(seconds / 60)} min`;
  return `Retry in ${Math.round(seconds / 3600)} h`;
}
