/** hls.js's light build (no subtitles, alternate audio or DRM) ships without its own types. */
declare module "hls.js/light" {
  export * from "hls.js";
  export { default } from "hls.js";
}
