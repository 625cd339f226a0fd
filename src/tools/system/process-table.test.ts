import { spawn } from "node:child_process";
import { describe, expect, test } from "vitest";
import {
  childrenOf,
  commandLineHas,
  commandLineWords,
  isRunning,
  processState,
  waitUntilGone,
} from "./process-table.ts";

describe("the process table (/proc)", () => {
  test("this process: running, its command line, its children", async () => {
    expect(processState(process.pid)).toBe("running");
    expect(commandLineWords(process.pid)?.length).toBeGreaterThan(0);
    // Vitest's workers run node by its path (/usr/bin/node): the last part counts as the word.
    expect(commandLineHas(process.pid, ["node"])).toBe(true);
    expect(commandLineHas(process.pid, ["no-such-word-here"])).toBe(false);

    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    const pid = child.pid as number;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    expect(childrenOf(process.pid)).toContain(pid);
    expect(commandLineHas(pid, ["sleep", "30"])).toBe(true);
    child.kill("SIGKILL");
    await exited;
    expect(await waitUntilGone([pid], 2000)).toBe(true);
    expect(isRunning(pid)).toBe(false);
    expect(commandLineHas(pid, ["sleep"])).toBe(false);
  });

  test("a pid nobody has is gone", () => {
    expect(processState(2 ** 22 + 1)).toBe("gone");
    expect(commandLineWords(2 ** 22 + 1)).toBeNull();
  });
});
