import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The Amphi web app: built into web/dist, which the server serves at `/`. */
const root = fileURLToPath(new URL(".", import.meta.url));
const server = process.env.AMPHI_DEV_SERVER ?? "http://localhost:8080";

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
  server: {
    // The web app imports the pure domain rules from ../src/domain (one permission table).
    fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] },
    proxy: {
      // The Host header is kept so the server's same-origin check sees the dev origin.
      "/api": { target: server, ws: true },
      "/healthz": { target: server },
      "/hls": { target: server },
      "/whip": { target: server },
      "/whep": { target: server },
      "/recordings": { target: server },
      // A clip's media, but not its page (/clips/:id is a route of the app).
      "^/clips/[^/]+/[^/]+\\.(m3u8|m4a)$": { target: server },
    },
  },
});
