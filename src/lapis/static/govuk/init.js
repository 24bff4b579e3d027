// Starts GOV.UK Frontend's components. A separate module file rather than inline script, so a
// Content-Security-Policy without 'unsafe-inline' works. Module scripts run only in browsers
// that GOV.UK Frontend supports, which is what the govuk-frontend-supported class declares.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
