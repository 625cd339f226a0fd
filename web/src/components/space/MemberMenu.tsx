import { useEffect, useId, useRef, useState } from "react";
import type { SpaceDocument, StageEntry, Standing } from "../../api/types";
import { can } from "../../lib/permissions";
import { outranks } from "../../lib/roles";
import { Icon } from "../Icon";
import type { SpaceActions } from "./use-space-actions";

/** The ⋯ menu a host or co-host opens on someone on stage: Mute, Move to listener, Remove. */
export function MemberMenu({
  space,
  entry,
  viewer,
  actions,
}: {
  space: SpaceDocument;
  entry: StageEntry;
  viewer: Standing;
  actions: SpaceActions;
}) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const { handle, displayName } = entry.account;

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLButtonElement>(".menu-item")?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  if (!outranks(viewer, entry.role)) return null;
  const canMute = can("mute", viewer, space.state) && !entry.muted;
  const canMove = can("moveToListener", viewer, space.state);
  const canCohost = can("inviteCohost", viewer, space.state) && entry.role === "speaker";
  const canRemove = can("remove", viewer, space.state);
  if (!canMute && !canMove && !canCohost && !canRemove) return null;

  const choose = (action: () => unknown) => () => {
    setOpen(false);
    toggle.current?.focus();
    void action();
  };

  return (
    <div className="member-menu" ref={root}>
      <button
        ref={toggle}
        type="button"
        className="btn-icon"
        aria-label={`Manage ${displayName}`}
        aria-expanded={open}
        aria-controls={menuId}
        data-testid="member-menu"
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="more" size={18} />
      </button>
      {open && (
        <ul id={menuId} className="menu" aria-label={`Actions for ${displayName}`}>
          {canMute && (
            <li>
              <button
                type="button"
                className="menu-item"
                data-testid="member-mute"
                onClick={choose(() => actions.mute(handle))}
              >
                Mute
              </button>
            </li>
          )}
          {canCohost && (
            <li>
              <button
                type="button"
                className="menu-item"
                data-testid="member-make-cohost"
                onClick={choose(() => actions.invite(handle, "cohost"))}
              >
                Invite to co-host
              </button>
            </li>
          )}
          {canMove && (
            <li>
              <button
                type="button"
                className="menu-item"
                data-testid="member-move-to-listener"
                onClick={choose(() => actions.moveToListener(handle))}
              >
                Move to listener
              </button>
            </li>
          )}
          {canRemove && (
            <li>
              <button
                type="button"
                className="menu-item menu-item-danger"
                data-testid="member-remove"
                onClick={choose(() => actions.remove(handle))}
              >
                Remove from Space
              </button>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
