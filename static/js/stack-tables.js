// On small screens the stylesheet shows each table row as a card (frontend/_mobile.scss), and
// each cell needs the name of its column beside it: this fills data-label from the column
// headers, for the tables whose templates did not write it. Tables marked .no-stack or .matrix
// keep their grid; a cell with a label of its own keeps it.
//
// A table shown as blocks may lose its table semantics in some browsers' accessibility trees,
// so the stacked tables also get their roles written out (table, row, cell and the headers).
(function () {
  "use strict";

  function setRole(element, role) {
    if (!element.hasAttribute("role")) {
      element.setAttribute("role", role);
    }
  }

  var tables = document.querySelectorAll(".govuk-main-wrapper table:not(.no-stack):not(.matrix)");
  Array.prototype.forEach.call(tables, function (table) {
    setRole(table, "table");
    var labels = [];
    var headerRow = table.tHead && table.tHead.rows[0];
    if (headerRow) {
      Array.prototype.forEach.call(headerRow.cells, function (cell) {
        var span = cell.colSpan || 1;
        for (var i = 0; i < span; i += 1) {
          labels.push(cell.textContent.trim());
        }
      });
    }
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      setRole(group, "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      setRole(row, "row");
      var column = 0;
      var inHead = row.parentNode.tagName === "THEAD";
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.tagName === "TH") {
          setRole(cell, inHead || cell.getAttribute("scope") === "col" ? "columnheader" : "rowheader");
        } else {
          setRole(cell, "cell");
          if (!cell.hasAttribute("data-label") && labels.length) {
            cell.setAttribute("data-label", labels[column] || "");
          }
        }
        column += cell.colSpan || 1;
      });
    });
  });
})();
