// `npm run build`: compile frontend/kvinnofrid.scss to static/dist/kvinnofrid.css and copy
// GOV.UK Frontend's JavaScript beside it. WhiteNoise serves both; nothing comes from a CDN.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "static", "dist");
mkdirSync(dist, { recursive: true });

const result = sass.compile(join(root, "frontend", "kvinnofrid.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter(root)],
  // GOV.UK Frontend's own deprecation notices are theirs to act on, not ours.
  quietDeps: true,
});
writeFileSync(join(dist, "kvinnofrid.css"), result.css);

const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
// The source map too: collectstatic follows the sourceMappingURL comment and needs its file.
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copyFileSync(join(govuk, name), join(dist, name));
}
console.log(`static/dist/kvinnofrid.css: ${result.css.length} bytes`);
