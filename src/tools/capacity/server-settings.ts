/**
 * The server settings the capacity model depends on, read the way `amphi serve` reads them
 * (the same zod schema, the same environment names), so a plan made in the fleet's
 * environment uses the fleet's HEARTBEAT_SECONDS, MEDIA_BITRATE, HLS_PART_SECONDS...
 */
import { ConfigError, configEnvNames, configSchema } from "../../config/config.ts";
import type { ServerSettings } from "./capacity-figures.ts";

const keys = [
  "heartbeatSeconds",
  "mediaBitrate",
  "hlsPartSeconds",
  "hlsSegmentSeconds",
  "admitRatePerSecond",
  "maxListenersPerSpace",
] as const;

const settingsSchema = configSchema.pick({
  heartbeatSeconds: true,
  mediaBitrate: true,
  hlsPartSeconds: true,
  hlsSegmentSeconds: true,
  admitRatePerSecond: true,
  maxListenersPerSpace: true,
});

export interface CapacitySettings extends ServerSettings {
  /** Only the wire sizes need it (segments per playlist), not the model itself. */
  hlsSegmentSeconds: ServerSettings["hlsPartSeconds"];
}

/** Throws ConfigError naming the variable when one is set to something `serve` would refuse. */
export function readServerSettings(env: NodeJS.ProcessEnv): CapacitySettings {
  const raw: Record<string, string> = {};
  for (const key of keys) {
    const value = env[configEnvNames[key]];
    if (value !== undefined && value.trim() !== "") raw[key] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]) as (typeof keys)[number];
      return `  ${configEnvNames[key]}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const sourced = (key: (typeof keys)[number]) => ({
    value: parsed.data[key],
    source: key in raw ? `env ${configEnvNames[key]}` : `config default (${configEnvNames[key]})`,
  });
  return {
    heartbeatSeconds: sourced("heartbeatSeconds"),
    mediaBitrate: sourced("mediaBitrate"),
    hlsPartSeconds: sourced("hlsPartSeconds"),
    hlsSegmentSeconds: sourced("hlsSegmentSeconds"),
    admitRatePerSecond: sourced("admitRatePerSecond"),
    maxListenersPerSpace: sourced("maxListenersPerSpace"),
  };
}
