import { useEffect, useState } from "react";
import { notificationsApi } from "../../api/notifications";
import type { Profile } from "../../api/types";
import { useToast } from "../feedback/toast-context";

/** "Mute notifications from @host" (and back), for someone logged in on another's profile. */
export function MuteButton({ profile }: { profile: Profile }) {
  const toast = useToast();
  const [muted, setMuted] = useState<boolean | null>(null);

  useEffect(() => {
    notificationsApi
      .preferences()
      .then((p) => setMuted(p.muted.some((a) => a.id === profile.id)))
      .catch(() => setMuted(false));
  }, [profile.id]);

  async function onClick() {
    try {
      const answer = muted
        ? await notificationsApi.unmute(profile.handle)
        : await notificationsApi.mute(profile.handle);
      setMuted(answer.muted);
      toast.show(
        answer.muted
          ? `You will not be notified about @${profile.handle}.`
          : `Notifications from @${profile.handle} are back on.`,
        "success",
      );
    } catch (error) {
      toast.error(error);
    }
  }

  if (muted === null) return null;
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm"
      aria-pressed={muted}
      onClick={onClick}
      data-testid="mute-button"
    >
      {muted ? `Unmute @${profile.handle}` : `Mute notifications from @${profile.handle}`}
    </button>
  );
}
