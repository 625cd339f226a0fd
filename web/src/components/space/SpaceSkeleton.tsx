import { Skeleton } from "../feedback/Skeleton";

/** The Space page's shape while it loads. */
export function SpaceSkeleton() {
  return (
    <div className="space-page" aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading the Space…
      </p>
      <div className="space-main">
        <div className="card space-header">
          <Skeleton width={64} height={22} />
          <Skeleton width="70%" height={32} />
          <Skeleton width="40%" />
          <Skeleton width="90%" />
        </div>
        <div className="card">
          <Skeleton width={120} height={20} />
          <div className="stage-grid">
            {["a", "b", "c"].map((k) => (
              <div key={k} className="stage-member">
                <Skeleton width={64} height={64} round />
                <Skeleton width={72} />
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
