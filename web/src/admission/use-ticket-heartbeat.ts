import { useEffect, useRef } from "react";
import type { TicketGrant } from "../api/types";
import { HeartbeatLoop } from "./heartbeat-loop";

/**
 * Heartbeats for the ticket being played (null: none). A new grant (after a renewal) starts a
 * new loop; the renewed tickets of heartbeat answers stay inside the loop, so they cause no
 * re-render and no restart.
 */
export function useTicketHeartbeat(
  spaceId: string,
  grant: TicketGrant | null,
  onInvalid: () => void,
): void {
  const onInvalidRef = useRef(onInvalid);
  onInvalidRef.current = onInvalid;
  const ticket = grant?.ticket ?? null;
  const heartbeatSeconds = grant?.heartbeatSeconds ?? 30;

  useEffect(() => {
    if (!ticket) return;
    const loop = new HeartbeatLoop(
      spaceId,
      { ticket, heartbeatSeconds },
      { onInvalid: () => onInvalidRef.current() },
    );
    loop.start();
    return () => loop.stop();
  }, [spaceId, ticket, heartbeatSeconds]);
}
