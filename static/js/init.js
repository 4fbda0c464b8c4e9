// Loaded as <script type="module">: browsers that run modules get GOV.UK Frontend's
// JavaScript. No inline scripts anywhere, so a strict Content-Security-Policy can be used.
import { initAll } from "/static/dist/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
