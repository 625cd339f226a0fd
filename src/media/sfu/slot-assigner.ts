/**
 * Which speaker occupies which slot of one listener session. A speaker who starts publishing
 * gets a free slot; one who stops frees it. Slots are sticky, so the labels a client shows stay
 * put: a returning speaker gets their previous slot back when it is free, and a newcomer prefers
 * a slot nobody held before over one that someone may come back to. Pure.
 */
export class SlotAssigner {
  readonly size: number;
  readonly #occupants: Array<string | undefined>;
  readonly #slotOf = new Map<string, number>();
  /** The last slot each speaker held, and who last held each slot. */
  readonly #lastSlotOf = new Map<string, number>();
  readonly #lastHolder: Array<string | undefined>;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError("A listener needs 1+ slots.");
    this.size = size;
    this.#occupants = new Array<string | undefined>(size).fill(undefined);
    this.#lastHolder = new Array<string | undefined>(size).fill(undefined);
  }

  /** The speaker's slot, assigning a free one if needed; undefined when every slot is taken. */
  assign(speakerId: string): number | undefined {
    const current = this.#slotOf.get(speakerId);
    if (current !== undefined) return current;
    const slot = this.#pick(speakerId);
    if (slot === undefined) return undefined;
    this.#occupants[slot] = speakerId;
    this.#slotOf.set(speakerId, slot);
    this.#lastSlotOf.set(speakerId, slot);
    this.#lastHolder[slot] = speakerId;
    return slot;
  }

  /** Frees the speaker's slot; returns it, or undefined if they had none. */
  release(speakerId: string): number | undefined {
    const slot = this.#slotOf.get(speakerId);
    if (slot === undefined) return undefined;
    this.#slotOf.delete(speakerId);
    this.#occupants[slot] = undefined;
    return slot;
  }

  slotOf(speakerId: string): number | undefined {
    return this.#slotOf.get(speakerId);
  }

  occupant(slot: number): string | undefined {
    return this.#occupants[slot];
  }

  /** Occupant of each slot, null when free. */
  occupants(): Array<string | null> {
    return this.#occupants.map((speakerId) => speakerId ?? null);
  }

  get freeSlots(): number {
    return this.#occupants.filter((speakerId) => speakerId === undefined).length;
  }

  #pick(speakerId: string): number | undefined {
    const previous = this.#lastSlotOf.get(speakerId);
    if (previous !== undefined && this.#occupants[previous] === undefined) return previous;
    let reusable: number | undefined;
    for (let slot = 0; slot < this.size; slot++) {
      if (this.#occupants[slot] !== undefined) continue;
      const holder = this.#lastHolder[slot];
      // A slot whose last holder holds another slot now is as good as a fresh one.
      if (holder === undefined || this.#slotOf.has(holder)) return slot;
      reusable ??= slot;
    }
    return reusable;
  }
}
