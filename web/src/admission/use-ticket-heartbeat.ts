import { useEffect, useRef } from "react";
import type { TicketGrant } from "../api/types";
import { HeartbeatLoop } from "./heartbeat-loop";
import { setListeningPlaylist, setListeningTicket } from "./listening-ticket";

/**
 * Heartbeats for the ticket being played (null: none). A new grant (after a renewal) starts a
 * new loop; the renewed tickets of heartbeat answers stay inside the loop, so they cause no
 * re-render and no restart. The newest ticket is published (listening-ticket.ts) while the
 * loop runs, for reactions sent without a session, and so is the newest signed playlist URL
 * (the player moves its requests to it).
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
  const playlistUrl = grant?.playlistUrl ?? null;

  useEffect(() => {
    if (!ticket) return;
    setListeningTicket(spaceId, ticket);
    setListeningPlaylist(spaceId, playlistUrl);
    const loop = new HeartbeatLoop(
      spaceId,
      { ticket, heartbeatSeconds },
      {
        onInvalid: () => {
          setListeningTicket(spaceId, null);
          onInvalidRef.current();
        },
        onBeat: (answer) => {
          setListeningTicket(spaceId, answer.ticket);
          if (answer.playlistUrl) setListeningPlaylist(spaceId, answer.playlistUrl);
        },
      },
    );
    loop.start();
    return () => {
      loop.stop();
      setListeningTicket(spaceId, null);
      setListeningPlaylist(spaceId, null);
    };
  }, [spaceId, ticket, heartbeatSeconds, playlistUrl]);
}
