import { mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nodeRecordingFiles } from "./recording-files.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("nodeRecordingFiles.removeAll", () => {
  it("removes a folder while files are still being written into it (found by the fuzz: ENOTEMPTY)", async () => {
    for (let round = 0; round < 5; round++) {
      const root = mkdtempSync(join(tmpdir(), "amphi-rm-"));
      dirs.push(root);
      const dir = join(root, "recording");
      await nodeRecordingFiles.mkdir(dir);
      let writing = true;
      // A recorder finishing its last parts as the host deletes the recording.
      const writer = (async () => {
        for (let i = 0; writing && i < 2_000; i++) {
          await writeFile(join(dir, `part-${i}.m4s`), "x").catch(() => {});
        }
      })();
      await new Promise((r) => setTimeout(r, 5));
      const removal = nodeRecordingFiles.removeAll(dir);
      setTimeout(() => {
        writing = false;
      }, 20);
      await expect(removal).resolves.toBeUndefined();
      await writer;
    }
  });
});
