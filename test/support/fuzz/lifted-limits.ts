import { type Config, configEnvNames, configSchema } from "../../../src/config/config.ts";

/** Rate and count limits by name: `...PerSecond`, `...PerMinute`, `...PerIp`, `...PerAccount`... */
const limitName = /Per(Second|Minute|Hour|Day|Ip|Address|Prefix|Ticket|Account|Space|Window)$/;

/**
 * Every rate or count limit of the configuration set as high as its schema allows, so the
 * fuzz reaches the handlers behind them (each limit has tests of its own). Found by name, so
 * limits added later are lifted too; plus the loopback address exempt from network limits and
 * no load shedding (the machine is shared: its lag is not overload).
 */
export function liftedLimits(): Partial<Config> {
  const lifted: Record<string, unknown> = {
    networkLimitExempt: "127.0.0.1,::1",
    loadShedLagMs: 60_000,
    loadShedCriticalLagMs: 60_000,
  };
  const shape = configSchema.shape as Record<
    string,
    { safeParse(v: unknown): { success: boolean } }
  >;
  for (const [key, schema] of Object.entries(shape)) {
    if (!limitName.test(key)) continue;
    const highest = [1_000_000, 100_000, 10_000, 1_000, 100].find(
      (v) => schema.safeParse(v).success,
    );
    if (highest !== undefined) lifted[key] = highest;
  }
  return lifted as Partial<Config>;
}

/** The same, as the environment of an `amphi serve` process. */
export function liftedLimitsEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(liftedLimits())) {
    const name = (configEnvNames as Record<string, string>)[key];
    if (name) env[name] = String(value);
  }
  return env;
}
