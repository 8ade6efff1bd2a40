'use strict';
// Accessible names and roles for the parts of Django's admin widgets that their scripts build
// without them (axe-core, WCAG 2.1 AA). A static file, not an inline script: see the
// Content-Security-Policy.
//
// - select2 (the autocomplete fields): its combobox, its search box and the box that shows the
//   choice take the field's label (or, in a table of inline rows, the select's aria-label); an
//   open combobox names the list it controls; the "clear all" cross of a multiple choice is an
//   item of the list it sits in.
// - The many-to-many pickers (SelectFilter2): the magnifying glass that names the filter box
//   is an image, the only role that may carry its aria-label.
{
    const labelText = (select) => {
        if (!select) {
            return '';
        }
        const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        const text = label ? label.textContent : select.getAttribute('aria-label') || '';
        return text.replace(/:\s*$/, '').trim();
    };

    const selectOf = (element) => {
        const container = element.closest('.select2-container');
        const before = container && container.previousElementSibling;
        if (before && before.tagName === 'SELECT') {
            return before;
        }
        // An open dropdown is added at the end of the page; its results list names the select.
        const match = (element.getAttribute('aria-controls') || '').match(/^select2-(.+)-results$/);
        return match ? document.getElementById(match[1]) : null;
    };

    const fix = () => {
        const unnamed = document.querySelectorAll(
            '.select2-search__field:not([aria-label]), ' +
            '.select2-selection[role="combobox"]:not([aria-label]), ' +
            '.select2-selection__rendered[role="textbox"]:not([aria-label])'
        );
        for (const element of unnamed) {
            const text = labelText(selectOf(element));
            if (text) {
                element.setAttribute('aria-label', text);
            }
        }
        for (const combobox of document.querySelectorAll('.select2-selection[role="combobox"]')) {
            const owns = combobox.getAttribute('aria-owns');
            if (owns && combobox.getAttribute('aria-controls') !== owns) {
                combobox.setAttribute('aria-controls', owns);
            } else if (!owns && combobox.hasAttribute('aria-controls')) {
                combobox.removeAttribute('aria-controls');
            }
        }
        for (const clear of document.querySelectorAll('ul > .select2-selection__clear:not([role])')) {
            clear.setAttribute('role', 'listitem');
        }
        for (const icon of document.querySelectorAll('.search-label-icon[aria-label]:not([role])')) {
            icon.setAttribute('role', 'img');
        }
    };

    new MutationObserver(fix).observe(document.documentElement, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['aria-owns'],
    });
    document.addEventListener('DOMContentLoaded', fix);
}
