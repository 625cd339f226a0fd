import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EdgeConfigError, type EdgeNginxOptions, renderEdgeNginxConf } from "./nginx-conf.ts";

const base: EdgeNginxOptions = {
  origins: ["http://127.0.0.1:8080"],
  listen: "127.0.0.1:8081",
  prefix: "/var/lib/amphi-edge",
  hlsUrlSecret: "edge-test-secret-0123456789-abcdefghijklmn",
};

/** The lines of the block whose header line starts with `header` (braces balanced). */
function block(conf: string, header: string): string[] {
  const lines = conf.split("\n").map((l) => l.trim());
  const start = lines.findIndex((l) => l.startsWith(header));
  if (start < 0) throw new Error(`no block ${header}`);
  let depth = 0;
  const body: string[] = [];
  for (const line of lines.slice(start)) {
    depth += (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
    body.push(line);
    if (depth === 0) break;
  }
  return body;
}

const SIGNED =
  'location ~ "^/hls/(?<amphi_space>[A-Za-z0-9_-]{1,40})/(?<amphi_expires>[0-9]{1,12})/(?<amphi_sig>[A-Za-z0-9_-]{22})/';
const MEDIA = `${SIGNED}(?<amphi_file>init`;
const PLAYLIST = `${SIGNED}(?<amphi_file>[^/]+\\.m3u8)$"`;
/** The regular expression of a `location ~ "..." {` line. */
const locationPattern = (line: string) => new RegExp(line.replace(/^location ~ "(.*)" \{$/, "$1"));
const SIG = "A".repeat(22);
const DOCUMENT = "location ~ ^/api/spaces/[^/]+$";
const LIVE = "location ~ ^/api/spaces/[^/]+/live$";

describe("renderEdgeNginxConf", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("renders a configuration nginx accepts (nginx -t)", () => {
    const prefix = mkdtempSync(join(tmpdir(), "amphi-edge-conf-"));
    dirs.push(prefix);
    const asRoot = process.getuid?.() === 0;
    const conf = renderEdgeNginxConf({
      ...base,
      origins: ["http://127.0.0.1:8080", "http://127.0.0.2:8080"],
      prefix,
      workerProcesses: 2,
      workerConnections: 4096,
      ...(asRoot ? { user: "nobody nogroup" } : {}),
    });
    const file = join(prefix, "nginx.conf");
    writeFileSync(file, conf);
    // Debian's nginx lives in /usr/sbin, not on every PATH.
    const run = spawnSync(
      existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx",
      ["-t", "-p", prefix, "-e", join(prefix, "error.log"), "-c", file],
      {
        encoding: "utf8",
      },
    );
    expect(run.error, "nginx must be installed (scripts/ensure-system-deps.sh)").toBeUndefined();
    expect(run.stderr).toContain("test is successful");
    expect(run.status).toBe(0);
  });

  it("names every origin as an upstream server with an explicit port, kept alive", () => {
    const conf = renderEdgeNginxConf({
      ...base,
      origins: ["http://origin-a.internal", "http://10.0.0.2:8080"],
    });
    const upstream = block(conf, "upstream amphi_origin");
    expect(upstream).toContain("server origin-a.internal:80 max_fails=3 fail_timeout=5s;");
    expect(upstream).toContain("server 10.0.0.2:8080 max_fails=3 fail_timeout=5s;");
    expect(upstream.some((l) => /^keepalive \d+;$/.test(l))).toBe(true);
    expect(conf).toContain("proxy_http_version 1.1;");
    expect(conf).toContain('proxy_set_header Connection "";');
  });

  it("caches parts, segments and init by Space and name (not the signed prefix), with one origin request per entry", () => {
    const media = block(renderEdgeNginxConf(base), MEDIA);
    expect(media).toContain('proxy_cache_key "media $amphi_space/$amphi_file";');
    expect(media).toContain("proxy_cache_lock on;");
    expect(media).toContain(
      "proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;",
    );
    const pattern = locationPattern(media[0]!);
    for (const file of ["init.mp4", "seg-12.m4s", "part-12-3.m4s"]) {
      expect(pattern.test(`/hls/abc/1764734700/${SIG}/${file}`)).toBe(true);
      expect(pattern.test(`/hls/abc/${file}`)).toBe(false);
    }
    expect(pattern.test(`/hls/abc/1764734700/${SIG}/live.m3u8`)).toBe(false);
  });

  it("keys playlists by the full URI, blocking-reload query included, waiting longer than a blocking reload", () => {
    const playlist = block(
      renderEdgeNginxConf({ ...base, lockSeconds: 20, lockAgeMs: 250 }),
      PLAYLIST,
    );
    expect(playlist).toContain('proxy_cache_key "playlist $amphi_space/$amphi_file$is_args$args";');
    expect(playlist).toContain("proxy_cache_lock on;");
    // The origin holds a blocking reload for up to 3 target durations (6 s by default).
    expect(playlist).toContain("proxy_cache_lock_timeout 20s;");
    expect(playlist).toContain("proxy_cache_lock_age 250ms;");
    const defaults = block(renderEdgeNginxConf(base), PLAYLIST);
    const seconds = Number(
      defaults.find((l) => l.startsWith("proxy_cache_lock_timeout"))?.match(/\d+/)?.[0],
    );
    expect(seconds).toBeGreaterThan(6);
  });

  it("lets waiting listeners look again every 100 ms, not nginx's 500 ms (test/integration/edge-lock-wait.test.ts)", () => {
    const conf = renderEdgeNginxConf(base);
    for (const location of [MEDIA, PLAYLIST]) {
      expect(block(conf, location)).toContain("proxy_cache_lock_age 100ms;");
    }
    expect(() => renderEdgeNginxConf({ ...base, lockAgeMs: 0 })).toThrow(EdgeConfigError);
  });

  it("checks the signed prefix itself (secure_link_md5 with the shared secret) before any cache or origin", () => {
    const conf = renderEdgeNginxConf(base);
    for (const location of [MEDIA, PLAYLIST]) {
      const lines = block(conf, location);
      expect(lines).toContain("secure_link $amphi_sig,$amphi_expires;");
      expect(lines).toContain(
        `secure_link_md5 "$amphi_expires:$amphi_space:${base.hlsUrlSecret}";`,
      );
      expect(lines.some((l) => l.startsWith('if ($secure_link = "") { return 403'))).toBe(true);
      expect(lines.some((l) => l.startsWith('if ($secure_link = "0") { return 410'))).toBe(true);
    }
    // Anything else under /hls/ (the old unsigned paths) is refused without the origin.
    const rest = block(conf, "location /hls/ {");
    expect(rest.some((l) => l.startsWith("return 403"))).toBe(true);
    expect(rest.some((l) => l.startsWith("proxy_pass"))).toBe(false);
    for (const hlsUrlSecret of ["", "short", `${"a".repeat(40)}"; evil`]) {
      expect(() => renderEdgeNginxConf({ ...base, hlsUrlSecret })).toThrow(EdgeConfigError);
    }
  });

  it("caches the Space document by the origin's Cache-Control, never its sub-resources", () => {
    const conf = renderEdgeNginxConf(base);
    const document = block(conf, DOCUMENT);
    expect(document).toContain("proxy_cache amphi_edge;");
    expect(document).toContain("proxy_cache_revalidate on;");
    // No proxy_cache_use_stale here: stale-if-error / stale-while-revalidate come from the origin.
    expect(document.some((l) => l.startsWith("proxy_cache_use_stale"))).toBe(false);
    const pattern = new RegExp(document[0]!.replace(/^location ~ (.*) \{$/, "$1"));
    expect(pattern.test("/api/spaces/abc123")).toBe(true);
    expect(pattern.test("/api/spaces/abc123/me")).toBe(false);
    expect(pattern.test("/api/spaces/abc123/tickets")).toBe(false);
    const rest = block(conf, "location / {");
    expect(rest.some((l) => l.startsWith("proxy_cache"))).toBe(false);
  });

  it("upgrades the live WebSocket and still forwards the client's address and Host", () => {
    const live = block(renderEdgeNginxConf(base), LIVE);
    expect(live).toContain("proxy_set_header Upgrade $http_upgrade;");
    expect(live).toContain("proxy_set_header Connection $amphi_connection;");
    // proxy_set_header in a location drops every inherited one: they must be repeated.
    expect(live).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
    expect(live).toContain("proxy_set_header X-Forwarded-Proto $scheme;");
    expect(live).toContain("proxy_set_header Host $http_host;");
  });

  it("reports cache status and puts every writable path under the prefix or cache folder", () => {
    const conf = renderEdgeNginxConf({ ...base, cacheDir: "/srv/cache/", cacheMaxSize: "2g" });
    expect(conf).toContain("add_header X-Cache-Status $upstream_cache_status always;");
    expect(conf).toContain("pid /var/lib/amphi-edge/nginx.pid;");
    expect(conf).toContain("error_log /var/lib/amphi-edge/error.log warn;");
    expect(conf).toContain("proxy_temp_path /var/lib/amphi-edge/proxy_temp;");
    expect(conf).toMatch(/proxy_cache_path \/srv\/cache levels=1:2 keys_zone=\S+ max_size=2g /);
    expect(conf).toContain("worker_rlimit_nofile 20000;");
  });

  it("refuses options that would not make a safe, working configuration", () => {
    const bad: Partial<EdgeNginxOptions>[] = [
      { origins: [] },
      { origins: ["ftp://x"] },
      { origins: ["http://x:80/api"] },
      { origins: ["http://a:1", "https://b:2"] },
      { listen: "99999" },
      { listen: "8080; include /etc/passwd" },
      { prefix: "relative/dir" },
      { prefix: "/tmp/x; user root" },
      { cacheDir: "/tmp/a b" },
      { cacheMaxSize: "lots" },
      { workerConnections: 30_000, workerRlimitNofile: 20_000 },
      { workerProcesses: 0 },
      { user: "root; daemon off" },
    ];
    for (const options of bad) {
      expect(() => renderEdgeNginxConf({ ...base, ...options }), JSON.stringify(options)).toThrow(
        EdgeConfigError,
      );
    }
  });
});
