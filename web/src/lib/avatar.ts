/** Initials and a stable colour for someone's avatar, derived from their name and handle. */

export function initials(displayName: string, handle: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length >= 2
      ? `${Array.from(words[0] ?? "")[0] ?? ""}${Array.from(words[words.length - 1] ?? "")[0] ?? ""}`
      : Array.from(words[0] ?? handle)
          .slice(0, 2)
          .join("");
  return (letters || handle.slice(0, 2)).toUpperCase();
}

/** FNV-1a: a small, stable string hash. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A calm hue picked from the handle, dark enough for white initials on top. */
export function avatarColor(handle: string): string {
  const hue = hash(handle) % 360;
  return `hsl(${hue} 45% 42%)`;
}
