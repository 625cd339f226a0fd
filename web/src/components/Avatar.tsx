import { avatarColor, initials } from "../lib/avatar";

/** Initials in a circle coloured from the handle. Decorative: the name is always shown beside it. */
export function Avatar({
  handle,
  displayName,
  size = 40,
}: {
  handle: string;
  displayName: string;
  size?: number;
}) {
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.38, background: avatarColor(handle) }}
    >
      {initials(displayName, handle)}
    </span>
  );
}
