/**
 * The fan-out baseline: Debian's Icecast 2.4 serving one 32 kbps Opus stream, fed in real
 * time by ffmpeg from a speech WAV, set up as /work/shared/PEERS.md describes (not as root,
 * raised client limit, its own log and pid folder).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../test/support/nginx-edge.ts";

export interface IcecastPeer {
  /** The stream listeners GET: http://127.0.0.1:PORT/live.ogg */
  streamUrl: string;
  /** The Icecast process (its CPU is what the benchmark compares). */
  pid: number;
  stop(): Promise<void>;
}

const password = "amphi-bench";

function icecastXml(dir: string, port: number, clients: number): string {
  return `<icecast>
  <location>amphi bench</location>
  <admin>bench@localhost</admin>
  <limits>
    <clients>${clients}</clients>
    <sources>2</sources>
    <queue-size>524288</queue-size>
    <client-timeout>30</client-timeout>
    <header-timeout>15</header-timeout>
    <source-timeout>10</source-timeout>
    <burst-on-connect>1</burst-on-connect>
    <burst-size>65535</burst-size>
  </limits>
  <authentication>
    <source-password>${password}</source-password>
    <relay-password>${password}</relay-password>
    <admin-user>admin</admin-user>
    <admin-password>${password}</admin-password>
  </authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket>
    <port>${port}</port>
    <bind-address>127.0.0.1</bind-address>
  </listen-socket>
  <fileserve>0</fileserve>
  <paths>
    <basedir>/usr/share/icecast2</basedir>
    <logdir>${dir}/log</logdir>
    <webroot>/usr/share/icecast2/web</webroot>
    <adminroot>/usr/share/icecast2/admin</adminroot>
    <pidfile>${dir}/icecast.pid</pidfile>
  </paths>
  <logging>
    <accesslog>access.log</accesslog>
    <errorlog>error.log</errorlog>
    <loglevel>2</loglevel>
  </logging>
  <security>
    <chroot>0</chroot>
    <changeowner>
      <user>nobody</user>
      <group>nogroup</group>
    </changeowner>
  </security>
</icecast>
`;
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  const exited = exitOf(child);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Icecast plus its ffmpeg source; resolves once the mount serves audio. */
export async function startIcecastPeer(options: {
  dir: string;
  wav: string;
  clients: number;
}): Promise<IcecastPeer> {
  const { dir, wav } = options;
  const port = await freePort();
  mkdirSync(join(dir, "log"), { recursive: true });
  const conf = join(dir, "icecast.xml");
  writeFileSync(conf, icecastXml(dir, port, options.clients));
  // Icecast refuses root: it drops to nobody, who must write its logs and pid file.
  chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) chownSync(join(dir, "log"), 65_534, 65_534);
  const icecast = spawn("icecast2", ["-c", conf], { stdio: "ignore" });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/status-json.xsl`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (icecast.exitCode !== null || Date.now() > deadline) {
      await stopProcess(icecast);
      const log = (() => {
        try {
          return readFileSync(join(dir, "log", "error.log"), "utf8");
        } catch {
          return "";
        }
      })();
      throw new Error(`icecast did not start:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const streamUrl = `http://127.0.0.1:${port}/live.ogg`;
  const ffmpeg = spawn(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", wav],
      ...["-c:a", "libopus", "-b:a", "32k", "-vbr", "off", "-frame_duration", "20", "-ac", "1"],
      ...["-page_duration", "200000", "-content_type", "audio/ogg", "-f", "ogg"],
      `icecast://source:${password}@127.0.0.1:${port}/live.ogg`,
    ],
    { stdio: "ignore" },
  );
  const stop = async () => {
    await stopProcess(ffmpeg);
    await stopProcess(icecast);
  };
  // The mount exists once ffmpeg has connected and sent its headers.
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/status-json.xsl`)
      .then((r) => r.text())
      .catch(() => "");
    if (status.includes('"listenurl"')) break;
    if (ffmpeg.exitCode !== null || Date.now() > deadline + 10_000) {
      await stop();
      throw new Error("ffmpeg could not feed icecast");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { streamUrl, pid: icecast.pid ?? 0, stop };
}
