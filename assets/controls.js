// "Only this theme", in the browser: the button's theme becomes the one ticked, and the view
// callback (callbacks/view.py) checks and draws it, as it does any tick. One round trip to
// the server, not two.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    controls: {
        onlyTheme: function (clicks) {
            const clientside = window.dash_clientside;
            const chosen = clientside.callback_context.triggered_id;
            if (!(clicks || []).some(Boolean) || !chosen || !chosen.index) {
                return clientside.no_update;  // the buttons were (re)drawn, not clicked
            }
            return [chosen.index];
        },
    },
});
