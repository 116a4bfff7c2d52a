// The data as it stood on a day: the form in the header sets `asof=` in the page's URL
// (keeping the view's other keys) and loads the page again, built on that day's data; the
// banner's link takes `asof=` away. The server reads the day from the URL (presence.live).
(function () {
    function go(day) {
        const url = new URL(window.location.href);
        if (day) { url.searchParams.set("asof", day); } else { url.searchParams.delete("asof"); }
        window.location.assign(url.toString());
    }

    document.addEventListener("submit", function (event) {
        const form = event.target.closest(".as-of-form");
        if (!form) { return; }
        event.preventDefault();
        const day = form.querySelector("input").value.trim();
        if (/^\d{4}-\d{2}-\d{2}$/.test(day)) { go(day); }
    });

    document.addEventListener("click", function (event) {
        if (!event.target.closest(".as-of-today")) { return; }
        event.preventDefault();
        go(null);
    });
})();
