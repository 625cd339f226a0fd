import { errorMessage } from "../../api/api-error";

/** An error box with the server's message and, when given, a way to try again. */
export function ErrorNotice({
  error,
  title = "Something went wrong",
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="notice notice-error" role="alert">
      <div>
        <p className="notice-title">{title}</p>
        <p className="notice-body">{errorMessage(error)}</p>
      </div>
      {onRetry && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
