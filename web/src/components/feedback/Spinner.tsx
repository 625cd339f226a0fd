/** A small rotating ring; `label` is read to screen readers. */
export function Spinner({ label = "Loading", size = 20 }: { label?: string; size?: number }) {
  return (
    <span className="spinner" role="status" style={{ width: size, height: size }}>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/** A spinner centred in the page, for whole-page loads. */
export function PageSpinner({ label = "Loading" }: { label?: string }) {
  return (
    <div className="page-spinner">
      <Spinner label={label} size={32} />
    </div>
  );
}
