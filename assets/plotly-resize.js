// dcc.Graph resizes the first plot it draws, and again once it first observes the plot's
// box; Plotly's resize then draws the whole plot anew, even at the size it has. The page's
// first map, drawn as soon as it comes (assets/map-size.js), would be drawn twice: 150 ms
// more at the page's start. A resize to the size the plot has (within Plotly's own pixel of
// slack, plots.plotAutoSize) is skipped; any other goes to Plotly.
// Loaded after plotly-geo.min.js: Dash loads the assets in the order of their names.
(function () {
    const plots = window.Plotly && window.Plotly.Plots;
    if (!plots) { return; }
    const resize = plots.resize;
    plots.resize = function (gd) {
        const full = gd && gd._fullLayout;
        // A resize on its way (Plotly waits 100 ms for the box to settle) is left to finish.
        if (full && gd.isConnected && !gd._resolveResize) {
            const style = window.getComputedStyle(gd);
            if (Math.abs(parseFloat(style.width) - full.width) <= 1 &&
                Math.abs(parseFloat(style.height) - full.height) <= 1) {
                return Promise.resolve(gd);
            }
        }
        return resize.apply(this, arguments);
    };
})();
