import { errorMessage } from "../../api/api-error";

/** The error of a whole form (wrong password, handle taken...), announced when it appears. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-body">{errorMessage(error)}</p>
    </div>
  );
}
