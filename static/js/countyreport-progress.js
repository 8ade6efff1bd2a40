// The county report's builds: while one is queued or running, ask its status every two seconds
// and show the step and percent in place. Without JavaScript the "Uppdatera" link does it.
(function () {
  "use strict";

  var INTERVAL = 2000;

  function follow(row) {
    var url = row.getAttribute("data-status-url");
    var state = row.querySelector(".build-state");
    var bar = row.querySelector("progress");
    var downloads = row.querySelector(".build-downloads");

    function show(status) {
      var text = status.state_label;
      if (!status.finished) {
        text += ": " + status.step_label + " (" + status.percent + " %)";
      }
      state.textContent = text;
      if (bar) {
        bar.value = status.percent;
        bar.textContent = status.percent + " %";
      }
      if (status.error) {
        var error = document.createElement("p");
        error.className = "build-error";
        error.textContent = status.error;
        state.parentNode.appendChild(error);
      }
      if (status.finished) {
        if (bar) {
          bar.parentNode.removeChild(bar);
        }
        status.downloads.forEach(function (download) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = download.url;
          link.textContent = download.label;
          item.appendChild(link);
          downloads.appendChild(item);
        });
      }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (status) {
          show(status);
          if (!status.finished) {
            window.setTimeout(poll, INTERVAL);
          }
        })
        .catch(function () {
          // Leave the page as it is: the "Uppdatera" link still works.
        });
    }

    window.setTimeout(poll, INTERVAL);
  }

  document.querySelectorAll("tr[data-status-url]").forEach(follow);
})();
