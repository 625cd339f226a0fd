import { createServer } from "node:net";
import { describe, expect, test } from "vitest";
import { freePort } from "./free-port.ts";
import {
  holdsListener,
  listeningInodes,
  pidsListeningOn,
  portIsFree,
} from "./listening-sockets.ts";

describe("listening sockets (/proc/net/tcp)", () => {
  test("tells which process listens on a port", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(listeningInodes(port).size).toBe(1);
      expect(holdsListener([process.pid], port)).toBe(true);
      expect(holdsListener([process.ppid], port)).toBe(false);
      expect(pidsListeningOn(port)).toEqual([process.pid]);
      expect(await portIsFree(port)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(holdsListener([process.pid], port)).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });

  test("a port nobody listens on", async () => {
    const port = await freePort();
    expect(listeningInodes(port).size).toBe(0);
    expect(pidsListeningOn(port)).toEqual([]);
  });
});
