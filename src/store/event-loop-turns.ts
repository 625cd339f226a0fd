import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";

/**
 * Gives the event loop a turn after every statement, before the connection goes to the next
 * one (embedded PGlite). PGlite runs each statement synchronously on the event loop's thread
 * and hands its one connection from statement to statement in promise callbacks, so without
 * this a queue of statements (a go-live's fan-out, the job queue's polls) runs back to back
 * without ever letting the server read a socket: requests wait for the whole queue, seconds.
 * With it, a request waits for one statement at most.
 */
export class EventLoopTurnPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await new Promise((resolve) => setImmediate(resolve));
    return args.result;
  }
}
