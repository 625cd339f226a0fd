import { ApiError, networkErrorCode } from "./api-error";
import { errorOfResponse } from "./client";

const enc = encodeURIComponent;

/** The WHIP endpoint a speaker publishes their microphone to (RFC 9725). */
export const whipUrl = (spaceId: string) => `/whip/${enc(spaceId)}`;
/** The WHEP endpoint that plays the other speakers back to someone on stage. */
export const whepUrl = (spaceId: string) => `/whep/${enc(spaceId)}`;

export interface SdpAnswer {
  sdp: string;
  /** The session's resource (absolute URL), to DELETE when leaving. */
  resource: string;
}

/**
 * POSTs an SDP offer (WHIP/WHEP): 201 with the answer as the body and the session's
 * resource in `Location`. The session cookie authenticates; errors are the API's JSON.
 */
export async function postSdpOffer(
  url: string,
  offer: string,
  signal?: AbortSignal,
): Promise<SdpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/sdp", Accept: "application/sdp" },
      credentials: "same-origin",
      body: offer,
      signal: signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, networkErrorCode, "Can't reach Amphi. Check your connection.");
  }
  const text = await response.text();
  if (response.status !== 201 && !response.ok) throw errorOfResponse(response, text);
  const location = response.headers.get("Location");
  if (!location || !text) {
    throw new ApiError(response.status, "AMPHI_BAD_ANSWER", "The server's answer was incomplete.");
  }
  const base = new URL(url, window.location.href);
  return { sdp: text, resource: new URL(location, base).href };
}

/** Ends a WHIP/WHEP session; `keepalive` lets it leave with a closing page. */
export function deleteSdpSession(resource: string): void {
  void fetch(resource, { method: "DELETE", credentials: "same-origin", keepalive: true }).catch(
    () => {
      // The server also ends sessions whose connection goes away.
    },
  );
}
