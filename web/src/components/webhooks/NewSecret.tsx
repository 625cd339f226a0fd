import type { CreatedWebhookEndpoint } from "../../api/types";
import { useToast } from "../feedback/toast-context";

/** The signing secret of a new endpoint: shown this once, with a copy button. */
export function NewSecret({
  webhook,
  onDone,
}: {
  webhook: CreatedWebhookEndpoint;
  onDone: () => void;
}) {
  const toast = useToast();
  async function copy() {
    try {
      await navigator.clipboard.writeText(webhook.secret);
      toast.show("Secret copied to the clipboard.", "success");
    } catch {
      toast.show("Select the secret and copy it by hand.");
    }
  }
  return (
    <div className="webhook-secret" role="status" data-testid="webhook-secret">
      <p>
        <strong>Signing secret for {webhook.url}</strong>. Copy it now: it is not shown again. Your
        receiver verifies each request with it (docs: "Verifying a webhook").
      </p>
      <div className="webhook-row">
        <code className="webhook-secret-value" data-testid="webhook-secret-value">
          {webhook.secret}
        </code>
        <button type="button" className="btn btn-secondary btn-sm" onClick={copy}>
          Copy
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
