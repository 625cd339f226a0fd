import { describe, expect, test } from "vitest";
import { isLoopbackTarget, sourceAddressFor } from "./source-addresses.ts";

describe("source addresses", () => {
  test("every client gets a distinct loopback address, listeners and hostile apart", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 70_000; i++) seen.add(sourceAddressFor("listener", i));
    for (let i = 0; i < 70_000; i++) seen.add(sourceAddressFor("hostile", i));
    expect(seen.size).toBe(140_000);
    // 127.a.b.c with a in 1..254 and b, c in 1..254: never a network or broadcast address.
    const octet = "(?:[1-9]|[1-9]\\d|1\\d\\d|2[0-4]\\d|25[0-4])";
    const valid = new RegExp(`^127\\.${octet}\\.${octet}\\.${octet}$`);
    expect([...seen].filter((a) => !valid.test(a))).toEqual([]);
    expect(sourceAddressFor("listener", 0)).toBe("127.1.1.1");
    expect(sourceAddressFor("hostile", 0)).toBe("127.64.1.1");
  });

  test("a crowd is spread over many /24 networks before any network holds two clients", () => {
    const network = (a: string) => a.split(".").slice(0, 3).join(".");
    const perNetwork = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const n = network(sourceAddressFor("listener", i));
      perNetwork.set(n, (perNetwork.get(n) ?? 0) + 1);
    }
    expect(perNetwork.size).toBe(63 * 254);
    expect(Math.max(...perNetwork.values())).toBe(2);
    expect(network(sourceAddressFor("listener", 0))).not.toBe(
      network(sourceAddressFor("listener", 1)),
    );
  });

  test("only IPv4 loopback targets get spread source addresses", () => {
    expect(isLoopbackTarget(new URL("http://127.0.0.1:8080"))).toBe(true);
    expect(isLoopbackTarget(new URL("http://127.5.0.1/amphi/"))).toBe(true);
    expect(isLoopbackTarget(new URL("http://localhost:8080"))).toBe(false);
    expect(isLoopbackTarget(new URL("https://amphi.example"))).toBe(false);
  });
});
