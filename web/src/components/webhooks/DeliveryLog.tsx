import { useEffect, useState } from "react";
import { errorMessage } from "../../api/api-error";
import type { WebhookDelivery } from "../../api/types";
import { webhooksApi } from "../../api/webhooks";
import { formatDateTime } from "../../lib/format";
import { deliveryText, retryText } from "./webhook-text";

/** The endpoint's attempts, newest first; reloads when `version` changes. */
export function DeliveryLog({ webhookId, version }: { webhookId: string; version: number }) {
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    // `version` is a reload signal: read it so the effect runs again when it changes.
    void version;
    webhooksApi
      .deliveries(webhookId)
      .then((answer) => current && setDeliveries(answer.deliveries))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [webhookId, version]);

  if (error) return <p className="field-error">{errorMessage(error)}</p>;
  if (!deliveries) return <p className="muted">Loading deliveries…</p>;
  if (deliveries.length === 0) return <p className="muted">Nothing sent yet.</p>;
  return (
    <table className="webhook-log" data-testid="webhook-log">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          <th scope="col">Attempt</th>
          <th scope="col">Result</th>
          <th scope="col">Next</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} className={`webhook-log-${d.outcome}`} data-testid="webhook-log-row">
            <td>{formatDateTime(d.attemptedAt)}</td>
            <td>
              <code>{d.event}</code>
            </td>
            <td>{d.attempt}</td>
            <td>{deliveryText(d)}</td>
            <td>{retryText(d) ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
