// Repairs to Dash 4's own components that axe-core reports as serious, applied as React draws
// them (React keeps attributes it did not change, so a repair holds until the next redraw):
// - checklists and radio items are drawn as a listbox of options wrapping real checkboxes
//   (nested interactive controls, and a listbox with no name): the native inputs inside their
//   labels, named by the fieldset around them, are what assistive technology should see;
// - a dropdown takes the keyboard focus on a hidden input (aria-hidden yet focusable): the
//   focus goes to its button instead, which its <label> names and which opens it;
// - a dropdown that holds a value opens with the focus on that value's option, so typing
//   searched nothing (the Region field ignored "Pac"): a letter typed there goes to the
//   dropdown's search box, as it does when the dropdown holds no value.
(function () {
    document.addEventListener("keydown", function (event) {
        const option = event.target.closest && event.target.closest(".dash-dropdown-option");
        if (!option || event.key.length !== 1 || event.key === " " || event.ctrlKey
            || event.metaKey || event.altKey) { return; }
        const content = option.closest(".dash-dropdown-content");
        const search = content && content.querySelector("input.dash-dropdown-search");
        if (search) { search.focus(); }  // the key's character then goes into the search box
    }, true);

    // Sets an attribute only when it differs: setting the same value is still a mutation the
    // observer below sees, and each repair would queue the next, a frame at a time for ever
    // (an idle page kept a tenth of a core busy).
    function set(element, name, value) {
        if (element.getAttribute(name) !== value) { element.setAttribute(name, value); }
    }

    function repair(root) {
        root.querySelectorAll(".dash-checklist[role='listbox'], .dash-radioitems[role='listbox']")
            .forEach(function (list) {
            set(list, "role", "group");
            list.querySelectorAll("[role='option']").forEach(function (option) {
                option.removeAttribute("role");
                option.removeAttribute("aria-selected");
            });
        });
        root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']").forEach(
            function (hidden) {
                set(hidden, "tabindex", "-1");
                const button = hidden.parentElement.querySelector("button.dash-dropdown");
                if (button) { set(button, "tabindex", "0"); }
            });
    }
    let queued = false;
    new MutationObserver(function (records) {
        // The map redraws thousands of SVG nodes on each filter change: none needs repairs.
        if (queued || records.every(function (r) {
            return r.target.closest && r.target.closest(".js-plotly-plot");
        })) { return; }
        queued = true;
        requestAnimationFrame(function () { queued = false; repair(document); });
    }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                          attributeFilter: ["role", "tabindex"]});
})();
