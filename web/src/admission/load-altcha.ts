let loading: Promise<void> | null = null;

/**
 * The ALTCHA widget (the `<altcha-widget>` web component, with its proof-of-work workers
 * inlined) is fetched only when a challenge is asked for: most listeners never see one.
 */
export function loadAltcha(): Promise<void> {
  loading ??= import("altcha").then(() => undefined);
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
