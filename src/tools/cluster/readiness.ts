/**
 * Whether a member answers: the probes behind `up`/`start` (wait until ready) and `status`.
 * Each makes a fresh connection and closes it, and gives up after `timeoutMs`.
 */
import { request } from "node:http";
import { connect } from "node:net";
import pg from "pg";

/** True when GET url answers 200 (e.g. an Amphi node's /readyz). */
export function httpOk(url: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    // No keep-alive agent: an idle pooled socket would keep the command's process alive.
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** True when Redis answers PING with PONG (it answers -LOADING while it starts). */
export function redisAnswersPing(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = "";
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
    socket.once("error", () => done(false));
    socket.once("close", () => done(false));
  });
}

/**
 * True when PostgreSQL runs a query on `url`'s server. Accepting TCP is not enough: while it
 * starts or recovers it accepts and then refuses ("the database system is starting up").
 */
export async function postgresAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
