import type { CSSProperties } from "react";

/** A grey shimmering block standing in for content that is loading. */
export function Skeleton({
  width,
  height = 16,
  round = false,
}: {
  width?: number | string;
  height?: number | string;
  round?: boolean;
}) {
  const style: CSSProperties = { width: width ?? "100%", height };
  return <span className={round ? "skeleton skeleton-round" : "skeleton"} style={style} />;
}
