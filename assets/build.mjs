// Copies the pre-built GOV.UK Frontend and htmx files from node_modules into static/dist/.
// Run by `npm run build` after Sass has compiled assets/scss/ipip.scss. No dependencies.
//
// The GDS Transport font files in govuk/assets/fonts are left out: that font is only for
// services on GOV.UK domains, and ipip.scss sets Arial instead.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "static", "dist");
const modules = join(root, "node_modules");

const copies = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["govuk-frontend/dist/govuk/assets", "govuk/assets"],
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
];

mkdirSync(dist, { recursive: true });
for (const [from, to] of copies) {
  const source = join(modules, from);
  const target = join(dist, to);
  if (!existsSync(source)) {
    console.error(`build: ${source} is missing; run "npm ci" first`);
    process.exit(1);
  }
  rmSync(target, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  cpSync(source, target, {
    recursive: true,
    filter: (path) => !path.includes(join("assets", "fonts")),
  });
  console.log(`build: ${from} -> static/dist/${to}`);
}
