/**
 * The place in line of each Space, kept in sessionStorage so that a reload (or a crash of the
 * tab's page) comes back to the same place instead of the end of the line. Per tab on purpose:
 * two tabs are two listeners. Storage can be missing or full (private modes): then the place
 * only lasts as long as the page.
 */
const key = (spaceId: string) => `amphi.queueToken.${spaceId}`;

export function loadQueueToken(spaceId: string): string | null {
  try {
    return sessionStorage.getItem(key(spaceId));
  } catch {
    return null;
  }
}

export function saveQueueToken(spaceId: string, token: string): void {
  try {
    sessionStorage.setItem(key(spaceId), token);
  } catch {
    // No storage: the place is kept in memory by the admission loop only.
  }
}

export function forgetQueueToken(spaceId: string): void {
  try {
    sessionStorage.removeItem(key(spaceId));
  } catch {
    // Nothing stored.
  }
}
