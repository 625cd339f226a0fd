import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AnonymousSession } from "./AnonymousSession";
import { EmbedApp } from "./EmbedApp";
import { embedRoute } from "./embed-route";
import "../styles/tokens.css";
import "../styles/base.css";
import "../styles/components.css";
import "../styles/media.css";
import "../styles/admission.css";
import "../styles/embed.css";

/**
 * The embed pages (`/embed/:spaceId`, `/embed/clips/:clipId`): a second entry of the build
 * (web/embed.html) that loads only the player and what it needs, not the app.
 */
const root = document.getElementById("root");
if (!root) throw new Error("The page has no #root element");

createRoot(root).render(
  <StrictMode>
    <AnonymousSession>
      <EmbedApp route={embedRoute(window.location.pathname)} />
    </AnonymousSession>
  </StrictMode>,
);
