// The report form: warn before the sign-in ends for idleness, and never lose what is typed.
//
// What is typed is kept in this tab's sessionStorage (keyed by person, commitment and
// organisation) until the server has it. It survives being signed out and signing in again in
// the same tab, and is gone when the tab is closed, so nothing lingers on a shared computer.
(function () {
  "use strict";

  var PREFIX = "kvinnofrid-draft:";

  function keepDrafts() {
    var form = document.querySelector("form[data-draft-key]");
    var offer = document.getElementById("draft-restore");
    var status = document.getElementById("draft-status");
    if (!form || !offer || !window.sessionStorage) {
      return;
    }
    var key = form.getAttribute("data-draft-key");
    var personPrefix = key.split(":").slice(0, 2).join(":") + ":";

    // Drafts another person left in this tab are none of this person's business.
    for (var i = sessionStorage.length - 1; i >= 0; i -= 1) {
      var other = sessionStorage.key(i);
      if (other && other.indexOf(PREFIX) === 0 && other.indexOf(personPrefix) !== 0) {
        sessionStorage.removeItem(other);
      }
    }

    function fields() {
      return Array.prototype.filter.call(form.elements, function (element) {
        return element.name && element.name !== "csrfmiddlewaretoken" &&
          element.type !== "submit" && element.type !== "button";
      });
    }

    function values() {
      var result = {};
      fields().forEach(function (element) {
        if (element.type === "radio" || element.type === "checkbox") {
          if (element.checked) {
            result[element.name] = element.value;
          }
        } else {
          result[element.name] = element.value;
        }
      });
      return result;
    }

    // As the server keeps it: line ends as \n, no spaces around (Django's fields strip them).
    function normal(value) {
      return (value || "").replace(/\r\n?/g, "\n").trim();
    }

    // The version is what the text was typed on, not text: it does not make two drafts differ.
    function sameText(a, b) {
      var names = Object.keys(a).concat(Object.keys(b));
      return names.every(function (name) {
        return name === "version" || normal(a[name]) === normal(b[name]);
      });
    }

    // Returns the first field whose value it changed.
    function fill(saved) {
      var firstChanged = null;
      fields().forEach(function (element) {
        var before = element.type === "radio" ? element.checked : element.value;
        if (element.type === "radio" || element.type === "checkbox") {
          element.checked = saved[element.name] === element.value;
        } else if (element.name in saved) {
          element.value = saved[element.name];
        }
        var after = element.type === "radio" ? element.checked : element.value;
        if (before !== after && element.type !== "hidden" && !firstChanged) {
          firstChanged = element;
        }
      });
      return firstChanged;
    }

    var onServer = values();
    var stored = null;
    try {
      stored = JSON.parse(sessionStorage.getItem(key) || "null");
    } catch (error) {
      stored = null;
    }
    var offering = Boolean(stored && stored.values && !sameText(stored.values, onServer));
    if (stored && !offering) {
      sessionStorage.removeItem(key); // the server has exactly this text
    }

    function save() {
      if (offering) {
        return; // keep the earlier text until the person has chosen
      }
      var now = values();
      if (sameText(now, onServer)) {
        sessionStorage.removeItem(key);
      } else {
        sessionStorage.setItem(key, JSON.stringify({ values: now, savedAt: Date.now() }));
      }
    }

    // The offer goes; the focus moves to the form (where the text came back, if it did).
    function close(message, field) {
      offering = false;
      offer.hidden = true;
      status.textContent = message;
      var target = field || form.querySelector("input:not([type=hidden]), textarea");
      if (target) {
        target.focus();
      }
    }

    if (offering) {
      offer.hidden = false;
      offer.querySelector("[data-draft-restore]").addEventListener("click", function () {
        // With the version it was typed on: if someone has saved since, the server says so
        // and shows both, instead of one text silently replacing the other.
        var changed = fill(stored.values);
        close(offer.getAttribute("data-restored-message") || "", changed);
        save();
      });
      offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
        sessionStorage.removeItem(key);
        close(offer.getAttribute("data-discarded-message") || "");
      });
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    // The autosave (report-autosave.js) got this text to the server: the tab need not keep it.
    form.addEventListener("report:saved", function (event) {
      onServer = event.detail.values;
      save();
    });
  }

  // "Kopiera förra årets uppgifter" fills the empty fields here, instead of loading the page
  // again (the link's way without JavaScript), so that nothing typed is lost.
  function copyLastYear() {
    var button = document.getElementById("copy-last-year");
    var lastYear = document.getElementById("last-year");
    var form = document.getElementById("report-form");
    var status = document.getElementById("draft-status");
    if (!button || !lastYear || !form) {
      return;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var firstChanged = null;
      ["status", "percent_done", "work_done", "results", "obstacles", "next_steps"].forEach(
        function (name) {
          var value = lastYear.getAttribute("data-" + name) || "";
          var element = form.elements[name];
          if (!value || !element) {
            return;
          }
          if (element instanceof RadioNodeList) {
            if (element.value) {
              return; // a status is chosen already
            }
            Array.prototype.forEach.call(element, function (radio) {
              if (radio.value === value) {
                radio.checked = true;
                firstChanged = firstChanged || radio;
              }
            });
          } else if (!element.value.trim()) {
            element.value = value;
            firstChanged = firstChanged || element;
          }
        }
      );
      form.dispatchEvent(new Event("input", { bubbles: true }));
      if (status) {
        status.textContent = button.getAttribute("data-copied-message") || "";
      }
      if (firstChanged) {
        firstChanged.focus();
      }
    });
  }

  function warnBeforeTheEnd() {
    var dialog = document.getElementById("session-warning");
    if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
      return;
    }
    var url = dialog.getAttribute("data-status-url");
    var warningMs = Number(dialog.getAttribute("data-warning-seconds")) * 1000;
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;

    function signedOut() {
      // The server has ended the session: this page again leads to the login page, which says
      // why and comes back here afterwards.
      window.location.assign(window.location.href);
    }

    function schedule(secondsLeft) {
      window.clearTimeout(timer);
      var leftMs = secondsLeft * 1000;
      if (leftMs > warningMs) {
        if (dialog.open) {
          dialog.close();
        }
        timer = window.setTimeout(ask, leftMs - warningMs);
      } else {
        if (!dialog.open) {
          dialog.showModal();
        }
        // Just after the end, ask again: the server then ends the session.
        timer = window.setTimeout(ask, Math.max(leftMs, 0) + 1000);
      }
    }

    function answer(response) {
      if (response.status === 401) {
        signedOut();
        return null;
      }
      return response.ok ? response.json() : Promise.reject(response.status);
    }

    function retryLater() {
      timer = window.setTimeout(ask, 30000);
    }

    // Asking how long is left does not count as activity; another tab may have been active.
    function ask() {
      window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(answer)
        .then(function (data) {
          if (data) {
            schedule(data.remaining);
          }
        })
        .catch(retryLater);
    }

    function keepWorking() {
      window.fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
      })
        .then(answer)
        .then(function (data) {
          if (data) {
            schedule(data.remaining);
          }
        })
        .catch(retryLater);
    }

    dialog.querySelector("[data-session-continue]").addEventListener("click", keepWorking);
    // Escape closes a dialog: the person is here, which is what the button says too.
    dialog.addEventListener("cancel", keepWorking);
    schedule(Number(dialog.getAttribute("data-seconds-left")));
  }

  keepDrafts();
  copyLastYear();
  warnBeforeTheEnd();
})();
