// Starts GOV.UK Frontend's components (the header's "Meny" button, the notification banners,
// the skip link). Loaded as a module by templates/base.html; the bundle is copied beside the
// built stylesheet by `npm run build`.
import { initAll } from "../dist/govuk-frontend.min.js";

initAll();
