import { Link } from "react-router";

export function profilePath(handle: string): string {
  return `/@${handle}`;
}

/** A person's name linking to their profile. */
export function ProfileLink({ handle, displayName }: { handle: string; displayName: string }) {
  return (
    <Link to={profilePath(handle)} className="profile-link">
      {displayName}
      <span className="handle">@{handle}</span>
    </Link>
  );
}
