// GOV.UK Frontend's components (the "Meny" button of the service navigation) and their CSS start
// only on a body marked as able to run them. GOV.UK marks it with an inline script; the portal's
// Content-Security-Policy allows none, so this file does it, loaded first thing in <body>.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
