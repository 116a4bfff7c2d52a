// Tells the server the size of the map, so that it frames the map to fill it and places the
// names for it (callbacks/view.py). Reported again when the map changes size by more than a
// few pixels: a window resized, the controls hidden, presentation mode.
(function () {
    const STEP = 24;  // px: smaller changes keep the placement (names keep a margin)
    let last = null;

    function report(graph) {
        if (!window.dash_clientside || !window.dash_clientside.set_props) { return; }
        // Wait while Dash answers a callback: the size's redraw reads the URL the answer
        // writes, and comes after the view's own.
        if (document.querySelector("._dash-loading-callback")) {
            window.setTimeout(function () { report(graph); }, 200);
            return;
        }
        const box = graph.getBoundingClientRect();
        const size = {width: Math.round(box.width), height: Math.round(box.height)};
        if (size.width < 100 || size.height < 100) { return; }
        if (last && Math.abs(last.width - size.width) < STEP &&
            Math.abs(last.height - size.height) < STEP) { return; }
        last = size;
        window.dash_clientside.set_props("map-size", {data: size});
    }

    function watch() {
        // Once Plotly has drawn, Dash's renderer is ready to take the size.
        const graph = document.getElementById("map");
        if (!graph || !graph.querySelector(".js-plotly-plot .main-svg")) {
            window.setTimeout(watch, 200);
            return;
        }
        let timer = null;
        new ResizeObserver(function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(function () { report(graph); }, 150);
        }).observe(graph);
    }
    watch();
})();
