import { useEffect, useRef } from "react";
import type { TicketGrant } from "../api/types";
import { HeartbeatLoop } from "./heartbeat-loop";
import { setListeningTicket } from "./listening-ticket";

/**
 * Heartbeats for the ticket being played (null: none). A new grant (after a renewal) starts a
 * new loop; the renewed tickets of heartbeat answers stay inside the loop, so they cause no
 * re-render and no restart. The newest ticket is published (listening-ticket.ts) while the
 * loop runs, for reactions sent without a session.
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
    setListeningTicket(spaceId, ticket);
    const loop = new HeartbeatLoop(
      spaceId,
      { ticket, heartbeatSeconds },
      {
        onInvalid: () => {
          setListeningTicket(spaceId, null);
          onInvalidRef.current();
        },
        onBeat: (answer) => setListeningTicket(spaceId, answer.ticket),
      },
    );
    loop.start();
    return () => {
      loop.stop();
      setListeningTicket(spaceId, null);
    };
  }, [spaceId, ticket, heartbeatSeconds]);
}
