// Renders card SVGs to PNG off the main thread: resvg's rendering and, above all, its PNG
// encoding (`asPng`, synchronous) take tens to hundreds of milliseconds, which would stall
// every request of the server. Plain JavaScript, so it runs under any loader (tsx, vitest).
import { parentPort } from "node:worker_threads";
import { Resvg } from "@resvg/resvg-js";

parentPort?.on("message", (message) => {
  const { id, svg, options } = message;
  try {
    const png = new Resvg(svg, options).render().asPng();
    parentPort?.postMessage({
      id,
      png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
    });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
