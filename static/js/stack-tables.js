// On small screens a table too wide for the page is shown as cards, one a row
// (frontend/_mobile.scss): this marks such tables .kf-stacked, and fills in each cell's
// data-label from the column headers, which the stylesheet shows before the cell. A table that
// fits keeps its grid; tables marked .no-stack or .matrix (which scrolls in a .table-scroll
// container) are left alone; a cell with a label of its own keeps it.
//
// A table shown as blocks may lose its table semantics in some browsers' accessibility trees,
// so the tables also get their roles written out (table, row, cell and the headers).
(function () {
  "use strict";

  var SMALL_SCREEN = window.matchMedia("(max-width: 40.0525em)"); // GOV.UK's "until tablet"
  var tables = Array.prototype.slice.call(
    document.querySelectorAll(".govuk-main-wrapper table:not(.no-stack):not(.matrix)")
  );

  function setRole(element, role) {
    if (!element.hasAttribute("role")) {
      element.setAttribute("role", role);
    }
  }

  function label(table) {
    setRole(table, "table");
    var labels = [];
    var headerRow = table.tHead && table.tHead.rows[0];
    if (headerRow) {
      Array.prototype.forEach.call(headerRow.cells, function (cell) {
        for (var i = 0; i < (cell.colSpan || 1); i += 1) {
          labels.push(cell.textContent.trim());
        }
      });
    }
    Array.prototype.forEach.call(table.children, function (group) {
      if (/^(THEAD|TBODY|TFOOT)$/.test(group.tagName)) {
        setRole(group, "rowgroup");
      }
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      setRole(row, "row");
      var column = 0;
      var inHead = row.parentNode.tagName === "THEAD";
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.tagName === "TH") {
          var scope = cell.getAttribute("scope");
          setRole(cell, inHead || scope === "col" ? "columnheader" : "rowheader");
        } else {
          setRole(cell, "cell");
          if (!cell.hasAttribute("data-label") && labels.length) {
            cell.setAttribute("data-label", labels[column] || "");
          }
        }
        column += cell.colSpan || 1;
      });
    });
  }

  function stackWhatDoesNotFit() {
    tables.forEach(function (table) {
      table.classList.remove("kf-stacked");
    });
    if (!SMALL_SCREEN.matches) {
      return;
    }
    // Measure every table in its grid first, then stack: one layout, not one per table.
    var tooWide = tables.filter(function (table) {
      return table.offsetWidth > table.parentElement.clientWidth + 1;
    });
    tooWide.forEach(function (table) {
      table.classList.add("kf-stacked");
    });
  }

  // A .table-scroll container that does scroll must be reachable by keyboard (WCAG 2.1.1): it
  // takes the focus and is named by its table's caption. Templates may write this themselves.
  var scrollers = Array.prototype.slice.call(
    document.querySelectorAll(".govuk-main-wrapper .table-scroll:not([tabindex])")
  );

  function letScrollersTakeFocus() {
    scrollers.forEach(function (scroller) {
      var caption = scroller.querySelector("caption");
      if (scroller.scrollWidth > scroller.clientWidth + 1) {
        scroller.setAttribute("tabindex", "0");
        scroller.setAttribute("role", "region");
        if (caption) {
          caption.id = caption.id || "table-scroll-caption-" + scrollers.indexOf(scroller);
          scroller.setAttribute("aria-labelledby", caption.id);
        }
      } else {
        scroller.removeAttribute("tabindex");
        scroller.removeAttribute("role");
        scroller.removeAttribute("aria-labelledby");
      }
    });
  }

  tables.forEach(label);
  stackWhatDoesNotFit();
  letScrollersTakeFocus();
  var pending = false;
  window.addEventListener("resize", function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        stackWhatDoesNotFit();
        letScrollersTakeFocus();
      });
    }
  });
})();
