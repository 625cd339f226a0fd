import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../../api/api-error";
import type { CreatedWebhookEndpoint, WebhookEndpoint } from "../../api/types";
import { webhooksApi } from "../../api/webhooks";
import { ConfirmDialog } from "../feedback/ConfirmDialog";
import { useToast } from "../feedback/toast-context";
import { AddWebhookForm } from "./AddWebhookForm";
import { DeliveryLog } from "./DeliveryLog";
import { NewSecret } from "./NewSecret";
import { webhookStatusText } from "./webhook-text";

/**
 * The host's webhooks, on their own profile: add an endpoint (its secret shown once), see
 * each endpoint's health, send a test, read the delivery log, delete.
 */
export function WebhooksSection() {
  const toast = useToast();
  const [webhooks, setWebhooks] = useState<WebhookEndpoint[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  /** Bumped after a test, so the open log reloads. */
  const [logVersion, setLogVersion] = useState(0);

  const load = useCallback(() => {
    webhooksApi
      .list()
      .then((answer) => {
        setWebhooks(answer.webhooks);
        setError(null);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  async function sendTest(webhook: WebhookEndpoint) {
    setBusy(webhook.id);
    try {
      const { delivery } = await webhooksApi.test(webhook.id);
      if (delivery.outcome === "delivered") {
        toast.show(`Test delivered (${delivery.statusCode}).`, "success");
      } else {
        toast.show(`Test failed: ${delivery.error ?? "no answer"}.`);
      }
      setOpen(webhook.id);
      setLogVersion((v) => v + 1);
      load();
    } catch (e) {
      toast.show(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function remove(webhook: WebhookEndpoint) {
    setDeleting(null);
    try {
      await webhooksApi.remove(webhook.id);
      toast.show("Webhook deleted.", "success");
      if (created?.id === webhook.id) setCreated(null);
      load();
    } catch (e) {
      toast.show(errorMessage(e));
    }
  }

  return (
    <section className="card webhooks" aria-labelledby="webhooks-title" data-testid="webhooks">
      <div className="card-heading">
        <h2 id="webhooks-title">Webhooks</h2>
        {webhooks && <span className="count-pill">{webhooks.length}</span>}
      </div>
      <p className="muted">
        Tell another service when your Spaces are scheduled, go live, end, and when a recording is
        ready. Each request is signed (Standard Webhooks) with the endpoint's secret.
      </p>
      {error ? <p className="field-error">{errorMessage(error)}</p> : null}
      {created && <NewSecret webhook={created} onDone={() => setCreated(null)} />}
      {webhooks && webhooks.length > 0 && (
        <ul className="webhook-list">
          {webhooks.map((webhook) => (
            <li key={webhook.id} className="webhook-item" data-testid="webhook-item">
              <div className="webhook-row">
                <code className="webhook-url">{webhook.url}</code>
                <span
                  className={`badge webhook-status webhook-${webhook.status}`}
                  data-testid="webhook-status"
                >
                  {webhookStatusText[webhook.status]}
                </span>
              </div>
              <p className="muted webhook-events">
                {webhook.events.join(", ")}
                {webhook.consecutiveFailures > 0 &&
                  ` · ${webhook.consecutiveFailures} failed attempt${webhook.consecutiveFailures === 1 ? "" : "s"} in a row`}
              </p>
              <div className="form-actions">
                <button
                  type="button"
                  className="btn btn-secondary btn-sm"
                  disabled={busy === webhook.id}
                  onClick={() => sendTest(webhook)}
                  data-testid="webhook-test"
                >
                  {busy === webhook.id ? "Sending…" : "Send test"}
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-expanded={open === webhook.id}
                  onClick={() => setOpen(open === webhook.id ? null : webhook.id)}
                  data-testid="webhook-log-toggle"
                >
                  {open === webhook.id ? "Hide deliveries" : "Deliveries"}
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  onClick={() => setDeleting(webhook)}
                  data-testid="webhook-delete"
                >
                  Delete
                </button>
              </div>
              {open === webhook.id && <DeliveryLog webhookId={webhook.id} version={logVersion} />}
            </li>
          ))}
        </ul>
      )}
      {webhooks && webhooks.length === 0 && !adding && <p className="muted">No webhooks yet.</p>}
      {adding ? (
        <AddWebhookForm
          onCancel={() => setAdding(false)}
          onCreated={(webhook) => {
            setAdding(false);
            setCreated(webhook);
            load();
          }}
        />
      ) : (
        <div>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => setAdding(true)}
            data-testid="webhook-add"
          >
            Add webhook
          </button>
        </div>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this webhook?"
        confirmLabel="Delete"
        cancelLabel="Keep it"
        danger
        onConfirm={() => deleting && remove(deleting)}
        onCancel={() => setDeleting(null)}
      >
        <p>
          Nothing more will be sent to <code>{deleting?.url}</code>, retries under way included.
        </p>
      </ConfirmDialog>
    </section>
  );
}
