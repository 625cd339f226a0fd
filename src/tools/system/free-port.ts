import { createServer, type Server } from "node:net";

/**
 * `count` distinct free TCP ports on `host`. All are held open until every one is picked, so
 * the kernel cannot hand out the same port twice; they are closed again before this returns,
 * and another program could still take one in the moment before its user binds it.
 */
export async function freePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, host, () => resolve());
      });
      const address = server.address();
      if (!address || typeof address === "string") throw new Error("could not find a free port");
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}

/** One free TCP port on `host` (127.0.0.1 by default). */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const [port] = await freePorts(1, host);
  if (port === undefined) throw new Error("could not find a free port");
  return port;
}
