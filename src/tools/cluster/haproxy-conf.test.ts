import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { findSystemBinary } from "../system/system-binary.ts";
import { HaproxyConfigError, type HaproxyOptions, renderHaproxyConf } from "./haproxy-conf.ts";

const options: HaproxyOptions = {
  listen: { host: "127.0.0.1", port: 18080 },
  stats: { host: "127.0.0.1", port: 18081 },
  servers: [
    { name: "api-1", host: "127.0.0.1", port: 18082 },
    { name: "api-2", host: "127.0.0.1", port: 18083 },
  ],
};

/** The lines of one section (`backend amphi_api`), trimmed. */
function section(conf: string, header: string): string[] {
  const lines = conf.split("\n");
  const start = lines.indexOf(header);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && line !== "" && !line.startsWith(" "));
  return lines.slice(start + 1, end === -1 ? undefined : end).map((line) => line.trim());
}

describe("renderHaproxyConf", () => {
  const conf = renderHaproxyConf(options);

  test("balances the API nodes, health-checked on /readyz every second", () => {
    const api = section(conf, "backend amphi_api");
    expect(api).toContain("balance roundrobin");
    expect(api).toContain(
      "http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host amphi-balancer",
    );
    expect(api).toContain("http-check expect status 200");
    expect(api.find((l) => l.startsWith("default-server"))).toMatch(
      /check inter 1s .*fall 2 rise 1 observe layer4 error-limit 10 on-error mark-down/,
    );
    // A check waits longer than the lag up to which a node still serves joins (2 s).
    expect(section(conf, "defaults")).toContain("timeout check 2500ms");
    expect(api).toContain("server api-1 127.0.0.1:18082");
    expect(api).toContain("server api-2 127.0.0.1:18083");
  });

  test("retries a request a dead node took, on another node", () => {
    const api = section(conf, "backend amphi_api");
    expect(api).toContain("retries 3");
    expect(api).toContain("option redispatch 1");
    expect(api).toContain("retry-on conn-failure empty-response response-timeout 502 503");
    // L7 retries replay the request: its body must be buffered before a node is chosen.
    expect(section(conf, "frontend amphi")).toContain("option http-buffer-request");
  });

  test("LL-HLS goes to the same nodes with connection retries only, following their checks", () => {
    const frontend = section(conf, "frontend amphi");
    expect(frontend).toContain("use_backend amphi_hls if { path_beg /hls/ }");
    expect(frontend).toContain("default_backend amphi_api");
    const hls = section(conf, "backend amphi_hls");
    expect(hls).toContain("retry-on conn-failure empty-response");
    expect(hls).toContain("server api-1 127.0.0.1:18082 track amphi_api/api-1");
  });

  test("forwards the client address, keeps WebSockets and blocking playlist reloads open", () => {
    expect(section(conf, "frontend amphi")).toContain("option forwardfor");
    expect(section(conf, "frontend amphi")).toContain("bind 127.0.0.1:18080");
    const defaults = section(conf, "defaults");
    expect(defaults).toContain("timeout tunnel 1h");
    const server = defaults.find((l) => l.startsWith("timeout server "));
    expect(Number(/([0-9]+)s$/.exec(server ?? "")?.[1])).toBeGreaterThanOrEqual(15);
    // Longer than the edges keep idle connections to their origin (60 s).
    expect(defaults).toContain("timeout http-keep-alive 75s");
  });

  test("a stats page only when asked for", () => {
    expect(section(conf, "listen stats")).toContain("bind 127.0.0.1:18081");
    expect(renderHaproxyConf({ ...options, stats: undefined })).not.toContain("listen stats");
  });

  test("refuses values that would not be what they claim in the file", () => {
    const bad: HaproxyOptions[] = [
      { ...options, servers: [] },
      { ...options, listen: { host: "127.0.0.1 ssl", port: 80 } },
      { ...options, listen: { host: "127.0.0.1", port: 0 } },
      { ...options, servers: [{ name: "api 1", host: "127.0.0.1", port: 1 }] },
      {
        ...options,
        servers: [
          { name: "a", host: "127.0.0.1", port: 1 },
          { name: "a", host: "127.0.0.1", port: 2 },
        ],
      },
    ];
    for (const value of bad) expect(() => renderHaproxyConf(value)).toThrow(HaproxyConfigError);
  });

  const haproxy = findSystemBinary("haproxy");
  test.skipIf(!haproxy)("is a valid configuration for this machine's HAProxy (haproxy -c)", () => {
    const dir = mkdtempSync(join(tmpdir(), "amphi-haproxy-conf-"));
    try {
      writeFileSync(join(dir, "haproxy.cfg"), conf);
      const out = execFileSync(haproxy as string, ["-c", "-f", join(dir, "haproxy.cfg")], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      expect(out).toContain("Configuration file is valid");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
