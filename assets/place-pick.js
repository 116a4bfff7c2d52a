// A click on the map while a record's form is open gives the form its point: the page turns
// the pixel under the pointer into longitude and latitude with the map's own projection and
// sends them to the server (callbacks/editing.py), which finds the host country and the city
// nearest and fills the form's fields. With no form open, a click does only what it did.
(function () {
    document.addEventListener("click", function (event) {
        if (!document.getElementById("place-query")) { return; }
        const graph = event.target.closest("#map");
        const plot = graph && graph.querySelector(".js-plotly-plot");
        const geo = plot && plot._fullLayout && plot._fullLayout.geo && plot._fullLayout.geo._subplot;
        if (!geo || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
        const box = plot.querySelector(".main-svg").getBoundingClientRect();
        const point = geo.projection.invert([event.clientX - box.left, event.clientY - box.top]);
        if (!point || !isFinite(point[0]) || !isFinite(point[1])) { return; }
        // plotly draws the globe clipped: a pixel outside it inverts to a point behind it.
        const back = geo.projection(point);
        if (!back || Math.hypot(back[0] - (event.clientX - box.left),
                                back[1] - (event.clientY - box.top)) > 2) { return; }
        window.dash_clientside.set_props("place-clicked", {data: {lon: point[0], lat: point[1]}});
    }, true);
})();
