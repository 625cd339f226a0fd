import { apiRequest } from "./client";
import type {
  CreatedWebhookEndpoint,
  CreateWebhookInput,
  WebhookDelivery,
  WebhookEndpoint,
} from "./types";

const enc = encodeURIComponent;

/** The logged-in account's outgoing webhooks (docs/api.md, "Webhooks"). */
export const webhooksApi = {
  list: () => apiRequest<{ webhooks: WebhookEndpoint[] }>("GET", "/api/webhooks"),
  create: (input: CreateWebhookInput) =>
    apiRequest<{ webhook: CreatedWebhookEndpoint }>("POST", "/api/webhooks", input),
  remove: (id: string) => apiRequest<{ ok: true }>("DELETE", `/api/webhooks/${enc(id)}`),
  test: (id: string) =>
    apiRequest<{ delivery: WebhookDelivery }>("POST", `/api/webhooks/${enc(id)}/test`),
  deliveries: (id: string) =>
    apiRequest<{ deliveries: WebhookDelivery[] }>(
      "GET",
      `/api/webhooks/${enc(id)}/deliveries?limit=50`,
    ),
};
