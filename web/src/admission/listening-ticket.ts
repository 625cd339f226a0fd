import { useSyncExternalStore } from "react";

/**
 * The listener ticket this tab is playing a Space with (the newest, after heartbeat renewals),
 * or none. The live player puts it here while it keeps the ticket alive; the Space page reads
 * it so a listener who is not logged in can react with it.
 */
const tickets = new Map<string, string>();
const listeners = new Set<() => void>();

export function setListeningTicket(spaceId: string, ticket: string | null): void {
  if ((tickets.get(spaceId) ?? null) === ticket) return;
  if (ticket === null) tickets.delete(spaceId);
  else tickets.set(spaceId, ticket);
  for (const listener of listeners) listener();
}

export function listeningTicket(spaceId: string): string | null {
  return tickets.get(spaceId) ?? null;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The ticket this tab is listening to `spaceId` with; null while not listening. */
export function useListeningTicket(spaceId: string): string | null {
  return useSyncExternalStore(subscribe, () => listeningTicket(spaceId));
}

/**
 * The newest signed playlist URL of the Space this tab listens to (from the ticket, then each
 * heartbeat): the player sends its requests under its prefix, so a stream outlives the time
 * window of the URL it started with.
 */
const playlists = new Map<string, string>();

export function setListeningPlaylist(spaceId: string, url: string | null): void {
  if (url === null) playlists.delete(spaceId);
  else playlists.set(spaceId, url);
}

export function listeningPlaylist(spaceId: string): string | null {
  return playlists.get(spaceId) ?? null;
}
