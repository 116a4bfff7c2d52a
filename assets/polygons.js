// Fetches, while the browser is idle, the polygons the map may draw next (layout.meta.polygons:
// the full ones and the lighter ones a world map draws, figures/world_map/figure.py), into
// plotly.js's own GeoJSON cache. A region, a country's card or a zoom then draws at once,
// rather than waiting for a megabyte to arrive and be parsed.
(function () {
    const asked = new Set();  // each URL once, whatever the number of redraws meanwhile

    function fetchOne(urls) {
        const cache = window.PlotlyGeoAssets;
        const url = urls.find(function (u) { return cache && !cache[u] && !asked.has(u); });
        if (!url) { return; }
        asked.add(url);
        // Each when the page has nothing else to do.
        window.requestIdleCallback(function () {
            fetch(url, {credentials: "same-origin"}).then(function (answer) {
                return answer.ok ? answer.json() : null;
            }).then(function (geojson) {
                // Plotly may have asked for it meanwhile: it waits for an entry that is no
                // longer "pending", which this one fills as its own answer would.
                if (geojson && (!cache[url] || cache[url] === "pending")) { cache[url] = geojson; }
                fetchOne(urls.filter(function (u) { return u !== url; }));
            }).catch(function () { /* Plotly fetches it itself when it needs it */ });
        }, {timeout: 5000});
    }

    function watch() {
        const plot = document.querySelector("#map .js-plotly-plot");
        if (!plot || !plot.on || !plot.layout) {
            window.setTimeout(watch, 300);
            return;
        }
        plot.on("plotly_afterplot", function () {
            fetchOne(((plot.layout.meta || {}).polygons || []).slice());
        });
    }
    watch();
})();
