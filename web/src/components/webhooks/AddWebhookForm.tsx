import { type FormEvent, useId, useState } from "react";
import { fieldErrors, isApiError } from "../../api/api-error";
import type { CreatedWebhookEndpoint, WebhookEventType } from "../../api/types";
import { webhooksApi } from "../../api/webhooks";
import { FormError } from "../form/FormError";
import { TextField } from "../form/TextField";
import { webhookEventLabels } from "./webhook-text";

const allEvents = Object.keys(webhookEventLabels) as WebhookEventType[];

/** A new endpoint: its URL and the events it takes. */
export function AddWebhookForm({
  onCreated,
  onCancel,
}: {
  onCreated: (webhook: CreatedWebhookEndpoint) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [url, setUrl] = useState("https://");
  const [events, setEvents] = useState<WebhookEventType[]>(["space.live"]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);
  // A refused address names the URL field too (details.reason says why).
  const urlError =
    fields.url ?? (isApiError(error, "AMPHI_WEBHOOK_URL_REFUSED") ? error.message : undefined);
  const eventsError = fields.events ?? fields["events.0"];

  function toggle(event: WebhookEventType, on: boolean) {
    setEvents((current) =>
      on
        ? allEvents.filter((e) => e === event || current.includes(e))
        : current.filter((e) => e !== event),
    );
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await webhooksApi.create({ url: url.trim(), events });
      onCreated(answer.webhook);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="webhook-form" onSubmit={onSubmit} noValidate data-testid="webhook-form">
      {error && !urlError && !eventsError ? <FormError error={error} /> : null}
      <TextField
        label="Endpoint URL"
        type="url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        maxLength={2000}
        hint="Where Amphi POSTs the events: a public https:// address."
        error={urlError}
        testId="webhook-url"
      />
      <fieldset className={eventsError ? "field field-invalid" : "field"}>
        <legend className="field-label">Events</legend>
        {allEvents.map((event) => (
          <label key={event} className="webhook-event" htmlFor={`${id}-${event}`}>
            <input
              id={`${id}-${event}`}
              type="checkbox"
              checked={events.includes(event)}
              onChange={(e) => toggle(event, e.target.checked)}
              data-testid={`webhook-event-${event}`}
            />
            <span>
              {webhookEventLabels[event]} <code>{event}</code>
            </span>
          </label>
        ))}
        {eventsError && <p className="field-error">{eventsError}</p>}
      </fieldset>
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || events.length === 0}
          data-testid="webhook-create"
        >
          {busy ? "Adding…" : "Add webhook"}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
