// Reads the map's zoom and pan at the moment the user clicks Export: they live only in the
// browser (Plotly keeps them across filter changes), and the exported page must match them.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    exportPanel: {
        screenView: function (clicks, mapId) {
            const graph = document.getElementById(mapId);
            const plot = graph && graph.querySelector(".js-plotly-plot");
            const geo = plot && plot._fullLayout && plot._fullLayout.geo;
            if (!geo) {
                return {clicks: clicks, geo: null};
            }
            return {clicks: clicks, geo: {
                "projection.type": geo.projection.type,
                "projection.scale": geo.projection.scale,
                "projection.rotation.lon": geo.projection.rotation.lon,
                "projection.rotation.lat": geo.projection.rotation.lat,
                "center.lon": geo.center.lon,
                "center.lat": geo.center.lat,
                "lonaxis.range": geo.lonaxis.range,
                "lataxis.range": geo.lataxis.range,
            }};
        },
    },
});
