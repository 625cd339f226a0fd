import { monitorEventLoopDelay } from "node:perf_hooks";
import { describe, expect, it, onTestFinished } from "vitest";
import { CardRenderer } from "./card-renderer.ts";
import { cardContent, cardSvg } from "./card-svg.ts";
import { testSpace } from "./test-subjects.ts";

describe("card renderer", () => {
  it("renders a 1200x630 PNG once per content, off the event loop", async () => {
    const renderer = new CardRenderer();
    onTestFinished(() => renderer.close());
    expect(renderer.hasCardFont).toBe(true);
    const svg = cardSvg(
      cardContent({ kind: "space", space: testSpace(), replaySeconds: null }, new Date()),
    );
    // The event loop keeps turning while the worker renders and encodes.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const png = await renderer.png(svg);
    delay.disable();
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    // Rendered inline, the loop would stall for the whole render; here never for most of it.
    expect(delay.max / 1e6).toBeLessThan(0.9 * (renderer.renderMs[0] ?? 0));
    expect(await renderer.png(svg)).toBe(png);
    expect(renderer.renderMs).toHaveLength(1);
  });

  it("falls back to the system's fonts when the card font is missing", async () => {
    const renderer = new CardRenderer({ fontFiles: ["/nonexistent/font.ttf"] });
    onTestFinished(() => renderer.close());
    expect(renderer.hasCardFont).toBe(false);
    const png = await renderer.png(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="8">x</text></svg>',
    );
    expect(png.readUInt32BE(16)).toBe(10);
  });
});
