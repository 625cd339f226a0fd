import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/components.css";
import "./styles/forms.css";
import "./styles/home.css";
import "./styles/space.css";
import "./styles/reactions.css";
import "./styles/media.css";
import "./styles/admission.css";
import "./styles/profile.css";
import "./styles/webhooks.css";
import "./styles/reminders.css";
import "./styles/discovery.css";
import "./styles/moderation.css";

const root = document.getElementById("root");
if (!root) throw new Error("The page has no #root element");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
