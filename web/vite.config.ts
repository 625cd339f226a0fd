import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The Amphi web app: built into web/dist, which the server serves at `/`. Two pages: the app
 * (index.html) and the embedded player (embed.html, served at /embed/...), which loads only
 * the player and what it needs; what both use lands in shared chunks.
 */
const root = fileURLToPath(new URL(".", import.meta.url));
const server = process.env.AMPHI_DEV_SERVER ?? "http://localhost:8080";

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL("index.html", import.meta.url)),
        embed: fileURLToPath(new URL("embed.html", import.meta.url)),
      },
    },
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
      // The embed pages are the server's (its headers), which serves the built embed.html.
      "/embed": { target: server },
      // A clip's media, but not its page (/clips/:id is a route of the app).
      "^/clips/[^/]+/[^/]+\\.(m3u8|m4a)$": { target: server },
    },
  },
});
