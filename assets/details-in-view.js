// The side panel scrolls as one (its panels, then the details): a record's details or a
// country's card opened by a click on the map, while the export or briefings panel is open
// above it, would appear out of sight. When the details show a new heading that lies out of
// the panel's view, the panel scrolls to bring the details' top into it.
(function () {
    let shown = null;
    function follow() {
        const details = document.getElementById("details");
        const panel = details && details.closest(".side-panel");
        if (!panel) { return false; }
        new MutationObserver(function () {
            const heading = details.querySelector("h2");
            const text = heading ? heading.textContent : null;
            if (!heading || text === shown) { shown = text; return; }
            shown = text;
            const box = heading.getBoundingClientRect(), view = panel.getBoundingClientRect();
            if (box.top < view.top || box.bottom > view.bottom) {
                panel.scrollTop += details.getBoundingClientRect().top - view.top;
            }
        }).observe(details, {childList: true, subtree: true});
        return true;
    }
    if (!follow()) {
        const waiting = new MutationObserver(function () { if (follow()) { waiting.disconnect(); } });
        waiting.observe(document.documentElement, {childList: true, subtree: true});
    }
})();
