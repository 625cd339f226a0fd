/** A refusal or failure of `amphi cluster` the user can act on: printed without a stack. */
export class ClusterError extends Error {
  override name = "ClusterError";
}
