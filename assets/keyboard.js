// Keyboard shortcuts. Keys become actions ("theme:3", "next-slide"…) handed to the server
// through the `keyboard` store; the server turns them into the next URL (callbacks/
// presentation.py). `?` and Esc open and close the list of shortcuts here, in the browser.
(function () {
    const TYPING = "input, textarea, select, [contenteditable=''], [contenteditable='true'], " +
        "[role='slider'], [role='combobox'], .ag-root-wrapper, .dash-dropdown";
    const ACTIONS = {
        "r": "next-region", "]": "next-region", "R": "previous-region", "[": "previous-region",
        "ArrowRight": "next-slide", "PageDown": "next-slide",
        "ArrowLeft": "previous-slide", "PageUp": "previous-slide",
        "p": "toggle-present", "P": "toggle-present", "Escape": "leave",
    };

    function shortcuts() { return document.getElementById("shortcuts"); }

    function openShortcuts() {
        const dialog = shortcuts();
        if (dialog && !dialog.open) { dialog.showModal(); }
    }

    document.addEventListener("keydown", function (event) {
        if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
        const dialog = shortcuts();
        if (dialog && dialog.open) { return; }  // the dialog handles its own Esc
        if (event.target.closest && event.target.closest(TYPING)) { return; }
        let action = ACTIONS[event.key];
        if (/^[0-9]$/.test(event.key)) { action = "theme:" + event.key; }
        if (event.key === "?") { event.preventDefault(); openShortcuts(); return; }
        if (!action || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
        event.preventDefault();
        // A fresh object each time, so pressing the same key twice is two changes.
        window.dash_clientside.set_props("keyboard", {data: {action: action, at: Date.now()}});
    });

    document.addEventListener("click", function (event) {
        if (!event.target.closest) { return; }
        if (event.target.closest("#shortcuts-button")) { openShortcuts(); }
        if (event.target.closest("#shortcuts-close")) { shortcuts().close(); }
    });
})();
