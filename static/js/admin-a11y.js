'use strict';
// Accessible names for the parts of Django's admin widgets that their scripts build without
// one: select2's combobox and search box (the autocomplete fields) take the field's label.
// A static file, not an inline script: see the Content-Security-Policy.
{
    const labelText = (select) => {
        if (!select || !select.id) {
            return '';
        }
        const label = document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        return label ? label.textContent.replace(/:\s*$/, '').trim() : '';
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

    const name = () => {
        const unnamed = document.querySelectorAll(
            '.select2-search__field:not([aria-label]), ' +
            '.select2-selection[role="combobox"]:not([aria-label]):not([aria-labelledby])'
        );
        for (const element of unnamed) {
            const text = labelText(selectOf(element));
            if (text) {
                element.setAttribute('aria-label', text);
            }
        }
    };

    new MutationObserver(name).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener('DOMContentLoaded', name);
}
