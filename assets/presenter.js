// The presenter view and the main window, kept in step through a BroadcastChannel (same
// machine, same browser: nothing goes over the network). Dash loads this file into the main
// page too: there it tells the presenter window which slide is shown and takes the keys
// pressed there; in the presenter page (callbacks/presenter.py) it shows the slide's map,
// note and sources, the next slide's title and map, and the elapsed time.
(function () {
    if (!window.BroadcastChannel) { return; }
    const channel = new BroadcastChannel("briefing-presenter");
    const KEYS = {"ArrowRight": "next-slide", "PageDown": "next-slide", " ": "next-slide",
                  "ArrowLeft": "previous-slide", "PageUp": "previous-slide"};

    function slideInUrl() {
        const params = new URLSearchParams(location.search);
        const slide = params.get("slide");
        if (!params.get("briefing") || slide === null || !/^[0-9]+$/.test(slide)) { return null; }
        return {type: "slide", briefing: params.get("briefing"), slide: Number(slide)};
    }

    function mainWindow() {
        let said = null;
        function tell() {
            const now = slideInUrl();
            said = location.search;
            if (now) { channel.postMessage(now); }
        }
        // Dash changes the URL with history.pushState, which fires no event: look often.
        setInterval(function () { if (location.search !== said) { tell(); } }, 250);
        channel.onmessage = function (event) {
            const message = event.data || {};
            if (message.type === "hello") { tell(); }
            if (message.type === "key" && /^(next|previous)-slide$/.test(message.action)
                    && window.dash_clientside && window.dash_clientside.set_props) {
                // As if the key had been pressed here (assets/keyboard.js).
                window.dash_clientside.set_props("keyboard",
                    {data: {action: message.action, at: Date.now()}});
            }
        };
    }

    function presenterWindow(root) {
        const lang = root.dataset.lang || "en";
        let briefing = null, slides = null, started = null, current = null;
        const $ = function (id) { return document.getElementById(id); };

        function show() {
            if (!slides || current === null) { return; }
            const slide = slides.slides[Math.min(current, slides.slides.length - 1)];
            const next = slides.slides[current + 1];
            $("presenter-position").textContent =
                slides.title + " — " + (current + 1) + "/" + slides.slides.length;
            $("presenter-title").textContent = slide.title;
            $("presenter-note").textContent = slide.note || "—";
            $("presenter-sources").textContent = slide.sources;
            $("presenter-next").textContent = next ? next.title :
                (lang === "fr" ? "Fin de l’exposé" : "End of the briefing");
            picture($("presenter-map"), current);
            picture($("presenter-next-map"), next ? current + 1 : null);
            if (current + 2 < slides.slides.length) {  // drawn ahead, kept by the server
                new Image().src = mapUrl(current + 2);
            }
        }

        function mapUrl(number) {
            return "presenter/map.png?briefing=" + encodeURIComponent(briefing) +
                "&slide=" + number + "&lang=" + lang;
        }

        // A slide's map, drawn by the server (callbacks/presenter.py); none past the end.
        function picture(image, number) {
            if (number === null) { image.hidden = true; image.removeAttribute("src"); return; }
            const url = mapUrl(number);
            if (image.getAttribute("src") !== url) {
                image.onload = function () { image.hidden = false; };
                image.onerror = function () { image.hidden = true; };
                image.alt = slides.slides[number].title;
                image.src = url;
            }
        }

        channel.onmessage = function (event) {
            const message = event.data || {};
            if (message.type !== "slide") { return; }
            if (started === null) { started = Date.now(); }
            current = message.slide;
            if (message.briefing !== briefing) {
                briefing = message.briefing;
                slides = null;
                fetch("presenter/slides.json?briefing=" + encodeURIComponent(briefing) +
                      "&lang=" + lang).then(function (response) { return response.json(); })
                    .then(function (found) {
                        if (found.slides && message.briefing === briefing) { slides = found; show(); }
                    });
                return;
            }
            show();
        };
        setInterval(function () {
            if (started === null) { return; }
            const seconds = Math.floor((Date.now() - started) / 1000);
            const minutes = Math.floor(seconds / 60);
            $("presenter-elapsed").textContent = String(minutes).padStart(2, "0") + ":" +
                String(seconds % 60).padStart(2, "0");
        }, 500);
        document.addEventListener("keydown", function (event) {
            const action = KEYS[event.key];
            if (!action || event.ctrlKey || event.metaKey || event.altKey) { return; }
            event.preventDefault();
            channel.postMessage({type: "key", action: action});
        });
        channel.postMessage({type: "hello"});
    }

    function start() {
        const root = document.getElementById("presenter");
        if (root) { presenterWindow(root); } else { mainWindow(); }
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else { start(); }
})();
