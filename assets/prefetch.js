// Answers to the theme and layer boxes' next clicks, asked for while the page is idle, so that
// a click is drawn without waiting for the server.
//
// Once the map shows a view, each box's click is predicted as Dash will send it (the last
// request to the view callback, updated by its answer, with that box ticked or unticked as
// a checklist does), and posted to the server one after the other while the page has nothing
// else to do. A click whose request is exactly one of those gets the server's answer at once;
// any other request goes to the server as before. The answer is the server's own, computed
// by the same callback from the same request: the browser never computes a view.
(function () {
    const VIEW = "..url.search";  // the view callback's outputs start so
    const BOXES = ["filter-themes", "filter-layers"];
    const KEPT_MS = 30000;  // an answer older than this is asked for again
    const answers = new Map();  // request key → {text, at}
    let round = 0;  // bumped by every view request: a round of prefetching stops at the next
    // Counts, for tests and the curious: answers asked for ahead, held for the view shown,
    // and clicks (view requests) answered at once.
    const counts = window.viewPrefetch = {asked: 0, held: 0, answered: 0, clicks: 0};

    // The map's size as assets/map-size.js last reported it (a state of the view callback,
    // seen in the request of the callback that follows it), and the last view answered.
    let size = null;
    let lastView = null;

    const serverFetch = window.fetch.bind(window);

    function keyOf(body) {
        return JSON.stringify([body.inputs, body.state, body.changedPropIds]);
    }

    function isView(url, init) {
        return String(url).includes("_dash-update-component") && init &&
            typeof init.body === "string" && init.body.includes('"output":"' + VIEW);
    }

    // The request Dash will send next, but for the box clicked: the inputs and states as
    // the answer left them.
    function after(body, answer) {
        const sent = (answer && answer.response) || {};
        const take = function (entry) {
            if (entry && entry.id === "map-size" && size !== null) {
                return Object.assign({}, entry, {value: size});
            }
            if (!entry || !entry.id || !sent[entry.id] || !(entry.property in sent[entry.id])) {
                return entry;
            }
            return Object.assign({}, entry, {value: sent[entry.id][entry.property]});
        };
        return Object.assign({}, body, {inputs: body.inputs.map(take),
                                        state: (body.state || []).map(take)});
    }

    function clicked(body, box, value) {
        const changed = box + ".value";
        const inputs = body.inputs.map(function (entry) {
            if (!entry || entry.id !== box || entry.property !== "value") { return entry; }
            const ticked = entry.value || [];
            // As dcc.Checklist does: an unticked box leaves its place, a ticked one goes last.
            const next = ticked.includes(value) ? ticked.filter(function (v) { return v !== value; })
                : ticked.concat([value]);
            return Object.assign({}, entry, {value: next});
        });
        return Object.assign({}, body, {inputs: inputs, changedPropIds: [changed],
                                        parsedChangedPropsIds: [changed]});
    }

    function predicted(body) {
        const found = [];
        BOXES.forEach(function (box) {
            document.querySelectorAll("#" + box + " input[type=checkbox]").forEach(function (input) {
                found.push(clicked(body, box, input.value));
            });
        });
        return found;
    }

    function prefetch(url, init, bodies, thisRound) {
        if (thisRound !== round || !bodies.length || document.hidden) { return; }
        window.requestIdleCallback(function () {
            if (thisRound !== round) { return; }
            const body = bodies[0];
            const key = keyOf(body);
            const known = answers.get(key);
            if (known && Date.now() - known.at < KEPT_MS) {
                prefetch(url, init, bodies.slice(1), thisRound);
                return;
            }
            counts.asked += 1;
            serverFetch(url, Object.assign({}, init, {body: JSON.stringify(body)}))
                .then(function (answer) { return answer.ok ? answer.text() : null; })
                .then(function (text) {
                    if (text !== null && thisRound === round) {
                        answers.set(key, {text: text, at: Date.now()});
                        counts.held = answers.size;
                    }
                    prefetch(url, init, bodies.slice(1), thisRound);
                })
                .catch(function () { /* a click then asks the server, as without this */ });
        }, {timeout: 2000});
    }

    // Neighbours of the view just answered, once the map has drawn it.
    function afterDrawn(url, init, body, text) {
        const thisRound = round;
        let answer = null;
        try { answer = JSON.parse(text); } catch (error) { return; }
        lastView = {url: url, init: init, body: body, text: text};
        const plot = document.querySelector("#map .js-plotly-plot");
        let started = false;
        const start = function () {
            if (started) { return; }
            started = true;
            prefetch(url, init, predicted(after(body, answer)), thisRound);
        };
        if (plot && plot.once) { plot.once("plotly_afterplot", start); }
        window.setTimeout(start, 1500);  // an answer that left the map as it was
    }

    function sizeIn(init) {
        if (!init || typeof init.body !== "string" || !init.body.includes('"id":"map-size"')) {
            return null;
        }
        const entry = (JSON.parse(init.body).inputs || []).find(function (input) {
            return input && input.id === "map-size" && input.property === "data";
        });
        return entry ? entry.value : null;
    }

    window.fetch = function (url, init) {
        if (!isView(url, init)) {
            const reported = String(url).includes("_dash-update-component") && sizeIn(init);
            if (reported && lastView) {  // the map was resized: its neighbours ask anew
                size = reported;
                round += 1;
                answers.clear();
                counts.held = 0;
                afterDrawn(lastView.url, lastView.init, lastView.body, lastView.text);
            }
            return serverFetch(url, init);
        }
        round += 1;
        const body = JSON.parse(init.body);
        const key = keyOf(body);
        const known = answers.get(key);
        counts.clicks += 1;
        if (known && Date.now() - known.at < KEPT_MS) {
            counts.answered += 1;
            answers.clear();  // answers to the old view's neighbours: not this one's
            counts.held = 0;
            afterDrawn(url, init, body, known.text);
            return Promise.resolve(new Response(known.text, {
                status: 200, headers: {"Content-Type": "application/json"}}));
        }
        answers.clear();
        counts.held = 0;
        return serverFetch(url, init).then(function (answer) {
            if (answer.ok) {
                answer.clone().text().then(function (text) { afterDrawn(url, init, body, text); });
            }
            return answer;
        });
    };
})();
