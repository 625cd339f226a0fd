import { Link } from "react-router";
import { EmptyState } from "../components/feedback/EmptyState";
import { Icon } from "../components/Icon";

export function NotFoundPage() {
  return (
    <div className="page narrow">
      <title>Not found · Amphi</title>
      <EmptyState title="There's nothing here" icon={<Icon name="wave" size={28} />}>
        <p>The page may have moved, or the link is wrong.</p>
        <Link to="/" className="btn btn-primary">
          Go home
        </Link>
      </EmptyState>
    </div>
  );
}
