// Tells the server the size of the map, as soon as the page is laid out, so that it frames
// the map to fill it and places the names for it (callbacks/view.py). Reported again when the
// map changes size by more than a few pixels: a window resized, the controls hidden,
// presentation mode.
//
// A zoom or pan the user made goes with the size, so that framing the map again keeps it.
// It counts for the region it was made in: a region chosen since frames the map anew.
// A zoom past what the polygons drawn hold (layout.meta.finer_past_zoom: a world map draws
// lighter ones) is reported at once, and the server sends finer polygons.
(function () {
    const STEP = 24;  // px: smaller changes keep the placement (names keep a margin)
    let last = null;
    let moved = null;  // {region, view}: the user's own zoom and pan

    function region() {
        return new URLSearchParams(window.location.search).get("region") || "world";
    }

    function userView() {
        return moved && moved.region === region() ? moved.view : null;
    }

    function report(graph, zoomed) {
        if (!window.dash_clientside || !window.dash_clientside.set_props) { return; }
        // Wait while Dash answers a callback: the size's redraw reads the URL the answer
        // writes, and comes after the view's own.
        if (document.querySelector("._dash-loading-callback")) {
            window.setTimeout(function () { report(graph, zoomed); }, 200);
            return;
        }
        const placeholder = ((plotOf(graph).layout || {}).meta || {}).placeholder;
        if (placeholder && last) {
            // The first map, built for the size reported, is on its way: the next size is
            // reported against it.
            window.setTimeout(function () { report(graph, zoomed); }, 200);
            return;
        }
        const box = graph.getBoundingClientRect();
        const size = {width: Math.round(box.width), height: Math.round(box.height)};
        if (size.width < 100 || size.height < 100) {
            // Too small to frame for (a hidden map): its first map at the default size.
            if (placeholder) {
                last = {width: 0, height: 0};
                window.dash_clientside.set_props("map-size", {data: {first: true}});
            }
            return;
        }
        if (!zoomed && last && Math.abs(last.width - size.width) < STEP &&
            Math.abs(last.height - size.height) < STEP) { return; }
        last = size;
        graph.dataset.reported = size.width + "x" + size.height;  // meets layout.meta.room
        const view = userView();
        window.dash_clientside.set_props("map-size", {data: view ? {...size, view} : size});
    }

    function plotOf(graph) {
        return graph.querySelector(".js-plotly-plot") || {};
    }

    function followZoom(plot, graph) {
        let timer = null;
        // A region chosen since the zoom frames the map anew: the zoom is forgotten, and
        // not brought back by a return to its region.
        plot.on("plotly_afterplot", function () {
            if (moved && moved.region !== region()) { moved = null; }
        });
        plot.on("plotly_relayout", function (changes) {
            if (!Object.keys(changes).some(function (key) {
                return key.startsWith("geo.projection") || key.startsWith("geo.center");
            })) { return; }
            const geo = plot._fullLayout.geo;
            moved = {region: region(), view: {
                "projection.scale": geo.projection.scale,
                "projection.rotation.lon": geo.projection.rotation.lon,
                "center.lon": geo.center.lon,
                "center.lat": geo.center.lat,
            }};
            const finer = (plot.layout.meta || {}).finer_past_zoom;
            if (finer && geo.projection.scale > finer) {
                window.clearTimeout(timer);
                timer = window.setTimeout(function () { report(graph, true); }, 300);
            }
        });
    }

    // The page's first size, taken as soon as Dash has laid the page out (a clientside
    // callback fired once as the page starts, callbacks/view.py): the first map is asked for
    // while the page's other first answers travel, not after the placeholder is drawn.
    function measure() {
        return new Promise(function (resolve) {
            let frames = 0;
            function look() {
                if (last) { resolve(window.dash_clientside.no_update); return; }  // reported
                const graph = document.getElementById("map");
                const box = graph && graph.getBoundingClientRect();
                // Laid out: the map fills what the controls leave (style.css). A page whose
                // map stays hidden or tiny gets its first map at the default size.
                if (box && box.width >= 100 && box.height >= 100) {
                    last = {width: Math.round(box.width), height: Math.round(box.height)};
                    resolve(last);
                } else if (++frames > 30) {
                    last = {width: 0, height: 0};
                    resolve({first: true});
                } else {
                    window.requestAnimationFrame(look);
                }
            }
            // From the next frame: the page's other first calls are on their way by then,
            // so the view's own (callbacks/view.py sync_view) does not see the size and build
            // the first map too.
            window.requestAnimationFrame(look);
        });
    }

    function watch() {
        // Once Plotly has drawn, Dash's renderer is ready to take the size.
        const graph = document.getElementById("map");
        const plot = graph && graph.querySelector(".js-plotly-plot");
        if (!plot || !plot.querySelector(".main-svg") || !plot.on) {
            window.setTimeout(watch, 200);
            return;
        }
        // The first size, measured before Dash put the graph itself in its place.
        if (last && last.width) { graph.dataset.reported = last.width + "x" + last.height; }
        followZoom(plot, graph);
        let timer = null;
        new ResizeObserver(function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(function () { report(graph); }, 150);
        }).observe(graph);
    }
    watch();
    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.mapSize = Object.assign({}, window.dash_clientside.mapSize,
                                                   {measure: measure});
})();

// The symbols that share a place, fanned by the server for the size just reported
// (callbacks/view.py fit_to_size; the view's answer fans them for the size it knew, none
// yet on a page opened on a link). They move only if the map still draws exactly those
// symbols: a click answered since drew its own, for the size it knew.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    mapSize: Object.assign({}, (window.dash_clientside || {}).mapSize, {
        // The page's first map, built for the size first reported (callbacks/view.py
        // fit_to_size): drawn only on the placeholder. A change answered since drew the
        // map whole, as that change asked (the first map's view is older).
        first: function (figure, shown) {
            const clientside = window.dash_clientside;
            const meta = ((shown || {}).layout || {}).meta || {};
            if (!figure || !meta.placeholder) { return [clientside.no_update, clientside.no_update]; }
            return [figure, false];
        },
        fanned: function (fans, figure) {
            const clientside = window.dash_clientside;
            if (!fans || !figure || !figure.data) { return clientside.no_update; }
            const same = function (a, b) { return JSON.stringify(a || []) === JSON.stringify(b || []); };
            const moves = [];
            for (const [index, laid] of Object.entries(fans)) {
                const trace = figure.data[Number(index)];
                if (!trace) { return clientside.no_update; }
                const drawn = (trace.lon || []).length;
                if (drawn !== laid.lon.length ||
                    (drawn > 0 && !same(trace.customdata, laid.customdata))) {
                    return clientside.no_update;  // other symbols: not the view laid out
                }
                if (!same(trace.lon, laid.lon) || !same(trace.lat, laid.lat)) {
                    moves.push([Number(index), laid]);
                }
            }
            if (!moves.length) { return clientside.no_update; }  // spare Plotly a redraw
            const patch = new clientside.Patch();
            for (const [index, laid] of moves) {
                patch.assign(["data", index, "lon"], laid.lon);
                patch.assign(["data", index, "lat"], laid.lat);
            }
            return patch.build();
        },
    }),
});
