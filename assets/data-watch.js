// The data can change while a page is open: an officer saves a change here or on another
// server of the team, or a colleague brings a layer. Every 2 seconds, while the page is in
// view, this asks the server which data it draws now (/data-state.json, a few bytes) and,
// if that is newer than the header's "Data: change N", shows the notice whose button draws
// the map again on it (callbacks/editing.py). The map is never redrawn unasked: an officer
// presenting keeps the map the room is looking at.
(function () {
    const EVERY_MS = 2000;

    function shownNumber() {
        const header = document.getElementById("data-number");
        const found = header && header.textContent.match(/(\d+)\s*$/);
        return found ? parseInt(found[1], 10) : null;
    }

    function look() {
        const state = document.querySelector(".data-state");
        if (document.visibilityState !== "visible" || !state || state.classList.contains("as-of")
            || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
        fetch("data-state.json", {cache: "no-store", credentials: "same-origin"})
            .then(function (answer) { return answer.ok ? answer.json() : null; })
            .then(function (server) {
                const shown = shownNumber();
                if (!server || shown === null) { return; }
                const notice = document.getElementById("data-changed");
                const newer = server.number !== shown;
                if (notice && notice.hidden === newer) {
                    window.dash_clientside.set_props("data-changed", {hidden: !newer});
                }
            })
            .catch(function () { /* the server restarting: look again later */ });
    }

    setInterval(look, EVERY_MS);
})();
