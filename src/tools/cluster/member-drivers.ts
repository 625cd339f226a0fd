import type { MemberKind } from "./cluster-plan.ts";
import type { MemberDriver } from "./member-driver.ts";
import { amphiNodeDriver } from "./members/amphi-node-member.ts";
import { balancerDriver } from "./members/balancer-member.ts";
import { edgeDriver } from "./members/edge-member.ts";
import { postgresDriver } from "./members/postgres-member.ts";
import { redisDriver } from "./members/redis-member.ts";

const drivers: Record<MemberKind, MemberDriver> = {
  postgres: postgresDriver,
  redis: redisDriver,
  api: amphiNodeDriver("api"),
  media: amphiNodeDriver("media"),
  balancer: balancerDriver,
  edge: edgeDriver,
};

export const driverFor = (kind: MemberKind): MemberDriver => drivers[kind];
