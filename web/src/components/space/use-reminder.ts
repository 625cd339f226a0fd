import { useCallback, useEffect, useState } from "react";
import { remindersApi } from "../../api/reminders";
import type { Reminder, ReminderInput } from "../../api/types";
import { useToast } from "../feedback/toast-context";

export interface ReminderState {
  /** Mine, null when I have none, undefined while loading. */
  reminder: Reminder | null | undefined;
  busy: boolean;
  set: (input: ReminderInput) => Promise<void>;
  remove: () => Promise<void>;
}

/** My reminder of a scheduled Space (only loaded when logged in). */
export function useReminder(spaceId: string, loggedIn: boolean): ReminderState {
  const toast = useToast();
  const [reminder, setReminder] = useState<Reminder | null | undefined>(
    loggedIn ? undefined : null,
  );
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!loggedIn) {
      setReminder(null);
      return;
    }
    const controller = new AbortController();
    setReminder(undefined);
    remindersApi
      .get(spaceId, controller.signal)
      .then((answer) => setReminder(answer.reminder))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setReminder(null);
        if (!(error instanceof DOMException)) console.warn("reminder: could not load", error);
      });
    return () => controller.abort();
  }, [spaceId, loggedIn]);

  const run = useCallback(
    async (action: () => Promise<{ reminder: Reminder | null }>, previous: Reminder | null) => {
      setBusy(true);
      try {
        setReminder((await action()).reminder);
      } catch (error) {
        setReminder(previous);
        toast.error(error);
      } finally {
        setBusy(false);
      }
    },
    [toast],
  );

  const set = useCallback(
    async (input: ReminderInput) => {
      const previous = reminder ?? null;
      // Show the switch where it was put at once; put it back if the server says no.
      if (previous) setReminder({ ...previous, ...input });
      await run(() => remindersApi.set(spaceId, input), previous);
    },
    [reminder, run, spaceId],
  );

  const remove = useCallback(
    () => run(() => remindersApi.remove(spaceId), reminder ?? null),
    [reminder, run, spaceId],
  );

  return { reminder, busy, set, remove };
}
