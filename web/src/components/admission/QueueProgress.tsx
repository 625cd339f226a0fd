/** How far through the line: a bar filled to `value` (0 to 1), or a moving one when unknown. */
export function QueueProgress({ value }: { value: number | null }) {
  const percent = value === null ? null : Math.round(value * 100);
  return (
    <div
      className={percent === null ? "queue-progress indeterminate" : "queue-progress"}
      role="progressbar"
      aria-label="Progress through the line"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      data-testid="queue-progress"
    >
      <span
        className="queue-progress-bar"
        style={percent === null ? undefined : { width: `${percent}%` }}
      />
    </div>
  );
}
