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
        // A dropdown's options while the officer types in its search field: those whose
        // name starts with what was typed first ("Pacif" → Pacific before Indo-Pacific),
        // then those with a word starting so, then the rest, each in the page's own order
        // (kept from the first call: these lists are not changed by the server). The
        // dropdown keeps this order (search_order="original").
        startsFirst: function (search, options) {
            const clientside = window.dash_clientside;
            const id = clientside.callback_context.triggered_id;
            if (!options || !id) {
                return clientside.no_update;
            }
            const orders = window.__optionOrders = window.__optionOrders || {};
            if (!orders[id]) {
                orders[id] = options.map(option => option.value);
            }
            const order = orders[id];
            const plain = text => String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
                .toLowerCase();
            const typed = plain(search || '').trim();
            const rank = option => {
                const name = plain(option.label);
                if (!typed || name.startsWith(typed)) return 0;
                return name.split(/[\s\-'’(]+/).some(word => word.startsWith(typed)) ? 1 : 2;
            };
            const ranked = options.slice().sort((a, b) => (rank(a) - rank(b))
                || (order.indexOf(a.value) - order.indexOf(b.value)));
            const same = ranked.every((option, i) => option.value === options[i].value);
            return same ? clientside.no_update : ranked;
        },
    },
});
