import { useCallback, useEffect, useRef, useState } from "react";
import { AdmissionLoop } from "./admission-loop";
import { type AdmissionState, idleAdmission } from "./admission-state";

export interface Admission {
  state: AdmissionState;
  /** The challenge widget's payload, once solved. */
  solved: (payload: string) => void;
  /** Get a fresh ticket (a heartbeat said the current one is no longer valid). */
  renew: () => void;
  /** Ask again now. */
  retryNow: () => void;
  /** Give up the place in line (it is otherwise kept across reloads). */
  leave: () => void;
}

/**
 * The admission gate for one Space while `active` (the listener pressed Listen): one
 * AdmissionLoop per activation, stopped on deactivation or unmount, so React's StrictMode
 * double effect leaves exactly one loop running.
 */
export function useAdmission(spaceId: string, active: boolean): Admission {
  const [state, setState] = useState<AdmissionState>(idleAdmission);
  const loopRef = useRef<AdmissionLoop | null>(null);

  useEffect(() => {
    if (!active) return;
    const loop = new AdmissionLoop(spaceId, setState);
    loopRef.current = loop;
    loop.start();
    return () => {
      loop.stop();
      if (loopRef.current === loop) loopRef.current = null;
      setState(idleAdmission);
    };
  }, [spaceId, active]);

  const solved = useCallback((payload: string) => loopRef.current?.solved(payload), []);
  const renew = useCallback(() => loopRef.current?.renew(), []);
  const retryNow = useCallback(() => loopRef.current?.retryNow(), []);
  const leave = useCallback(() => loopRef.current?.leave(), []);

  return { state: active ? state : idleAdmission, solved, renew, retryNow, leave };
}
