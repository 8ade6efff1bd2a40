// The report form saves the draft by itself, about every 30 seconds while the person types.
//
// It posts the same form, with a header that asks for JSON (followup.views.report_edit), and
// says what happened in the page's status line (an aria-live region). Without JavaScript, or
// when a save fails, nothing is lost: "Spara utkast" works as before, and report-form.js keeps
// the typed text in this tab until the server has it.
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  var status = document.getElementById("draft-status");
  if (!form || !status || !window.fetch || !window.FormData || !window.CustomEvent) {
    return;
  }
  // A report that was sent in changes only by submitting again: no draft to save.
  if (!form.querySelector("button[name=save]")) {
    return;
  }
  var timer = null;
  var saving = false;
  var changed = false;
  var stopped = false;

  function sentValues(data) {
    var values = {};
    data.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "save") {
        values[name] = value;
      }
    });
    return values;
  }

  // Read each time: the page says how often (and a test may make it often).
  function delay() {
    return Number(form.getAttribute("data-autosave-seconds") || "30") * 1000;
  }

  function save() {
    timer = null;
    if (stopped || !changed) {
      return;
    }
    if (saving) {
      timer = window.setTimeout(save, delay());
      return;
    }
    changed = false;
    saving = true;
    var data = new FormData(form);
    data.append("save", "1");
    var sent = sentValues(data);
    window.fetch(window.location.pathname, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Report-Autosave": "1" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        status.textContent = result.body.message || "";
        if (result.status === 200) {
          form.elements.version.value = result.body.version;
          sent.version = String(result.body.version);
          form.dispatchEvent(new CustomEvent("report:saved", { detail: { values: sent } }));
        } else if (result.status === 409) {
          // Somebody else saved in between: the person decides, by saving by hand.
          stopped = true;
        }
      })
      .catch(function () {
        // Signed out or offline: the text stays in the form and in this tab; try again later.
        changed = true;
      })
      .then(function () {
        saving = false;
      });
  }

  function later() {
    changed = true;
    if (!timer) {
      timer = window.setTimeout(save, delay());
    }
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // A save by hand leaves the page: no autosave may race it.
  form.addEventListener("submit", function () {
    stopped = true;
  });
})();
