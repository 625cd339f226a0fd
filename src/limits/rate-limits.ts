import { LoginLimiter } from "../accounts/login-limiter.ts";
import type { Config } from "../config/config.ts";
import { NetworkLimits } from "../protection/network-limits.ts";
import type { RateLimitStores } from "../shared-state/ports.ts";
import { Limiter } from "./limiter.ts";
import { ListenerReactionLimits } from "./listener-reaction-limits.ts";

/** Every rate limit of Amphi, built in one place from the configuration. */
export interface RateLimits {
  signup: Limiter;
  login: LoginLimiter;
  /** Wrong current passwords when changing a password, per account. */
  passwordChange: Limiter;
  reactions: Limiter;
  /** Reactions sent with a listener ticket: per ticket and per address. */
  listenerReactions: ListenerReactionLimits;
  stageActions: Limiter;
  /** Webhook management (create, delete, send test) per account. */
  webhooks: Limiter;
  /** Setting, changing or removing reminders, per person. */
  reminders: Limiter;
  /** Notices (reports) per reporter: their account, else their network. */
  reports: Limiter;
  /** Spaces created (scheduled or live) per account. */
  spaceCreations: Limiter;
  /** Clips made per account. */
  clips: Limiter;
  /** Follows and unfollows per account. */
  follows: Limiter;
  /** Profile edits per account. */
  profileEdits: Limiter;
  /** Ticket requests per address and per network, normal and attack-mode sets. */
  network: NetworkLimits;
}

/**
 * The limits, counted in `stores`: in process memory for one node, in Redis for a fleet so a
 * client spreading requests over API nodes meets one limit (each node keeps its share in
 * memory while Redis is down: src/shared-state/redis/redis-rate-limit-stores.ts).
 */
export function createRateLimits(config: Config, stores: RateLimitStores): RateLimits {
  const perWindow = (points: number) => ({
    points,
    windowSeconds: config.ticketLimitWindowSeconds,
  });
  const exempt = (config.networkLimitExempt ?? "")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  return {
    signup: new Limiter(
      "signup",
      { points: config.signupsPerIp, windowSeconds: config.signupWindowSeconds },
      "Too many sign-ups from your network; try again later.",
      stores,
    ),
    login: new LoginLimiter(
      {
        failuresPerAccount: config.loginFailuresPerAccount,
        attemptsPerIp: config.loginAttemptsPerIp,
        windowSeconds: config.loginWindowSeconds,
      },
      stores,
    ),
    passwordChange: new Limiter(
      "password-change",
      { points: config.loginFailuresPerAccount, windowSeconds: config.loginWindowSeconds },
      "Too many wrong passwords; try again later.",
      stores,
    ),
    reactions: new Limiter(
      "reactions",
      { points: config.reactionsPerSecond, windowSeconds: 1 },
      "Slow down: too many reactions.",
      stores,
    ),
    listenerReactions: new ListenerReactionLimits(
      new Limiter(
        "reactions-ticket",
        { points: config.reactionsPerTicket, windowSeconds: 1 },
        "Slow down: too many reactions.",
        stores,
      ),
      new Limiter(
        "reactions-address",
        { points: config.reactionsPerAddress, windowSeconds: 1 },
        "Too many reactions from your network; try again in a moment.",
        stores,
      ),
      exempt,
    ),
    stageActions: new Limiter(
      "stage",
      { points: config.stageActionsPerSecond, windowSeconds: 1 },
      "Slow down: too many stage actions.",
      stores,
    ),
    webhooks: new Limiter(
      "webhooks",
      { points: config.webhookActionsPerMinute, windowSeconds: 60 },
      "Too many webhook changes and tests; try again in a minute.",
      stores,
    ),
    reminders: new Limiter(
      "reminders",
      { points: config.reminderChangesPerMinute, windowSeconds: 60 },
      "Slow down: too many reminder changes.",
      stores,
    ),
    reports: new Limiter(
      "reports",
      { points: config.reportsPerHour, windowSeconds: 3_600 },
      "You sent many reports in the last hour; try again later.",
      stores,
    ),
    spaceCreations: new Limiter(
      "space-creations",
      { points: config.spaceCreationsPerHour, windowSeconds: 3600 },
      "You have created many Spaces this hour; try again later.",
      stores,
    ),
    clips: new Limiter(
      "clips",
      { points: config.clipsPerHour, windowSeconds: 3600 },
      "You have made many clips this hour; try again later.",
      stores,
    ),
    follows: new Limiter(
      "follows",
      { points: config.followChangesPerMinute, windowSeconds: 60 },
      "Slow down: too many follows and unfollows.",
      stores,
    ),
    profileEdits: new Limiter(
      "profile-edits",
      { points: config.profileEditsPerHour, windowSeconds: 3600 },
      "You have edited your profile many times this hour; try again later.",
      stores,
    ),
    network: new NetworkLimits({
      limits: {
        normal: {
          address: perWindow(config.ticketsPerAddress),
          prefix: perWindow(config.ticketsPerPrefix),
        },
        attack: {
          address: perWindow(Math.max(1, Math.floor(config.ticketsPerAddress / 4))),
          prefix: perWindow(Math.max(1, Math.floor(config.ticketsPerPrefix / 4))),
        },
      },
      exempt,
      createStore: (name, limit) => stores.create({ name, ...limit }),
    }),
  };
}
