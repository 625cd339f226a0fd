/** The `?next=` target after logging in, only ever a path on this site. */
export function safeNextPath(next: string | null): string {
  if (!next?.startsWith("/") || next.startsWith("//")) return "/";
  return next;
}
