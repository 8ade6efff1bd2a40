// On small screens the stylesheet shows each table row as a card (frontend/_mobile.scss), and
// each cell needs the name of its column beside it: this fills data-label from the column
// headers, for the tables whose templates did not write it. Tables marked .no-stack or .matrix
// keep their grid; a cell with a label of its own keeps it.
(function () {
  "use strict";

  var tables = document.querySelectorAll(".govuk-main-wrapper table:not(.no-stack):not(.matrix)");
  Array.prototype.forEach.call(tables, function (table) {
    var headerRow = table.tHead && table.tHead.rows[0];
    if (!headerRow) {
      return;
    }
    var labels = [];
    Array.prototype.forEach.call(headerRow.cells, function (cell) {
      var span = cell.colSpan || 1;
      for (var i = 0; i < span; i += 1) {
        labels.push(cell.textContent.trim());
      }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[column] || "");
          }
          column += cell.colSpan || 1;
        });
      });
    });
  });
})();
