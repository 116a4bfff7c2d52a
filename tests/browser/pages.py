"""Helpers the browser tests share: open a view and wait until the dashboard has drawn it."""

import re


def open_view(air_gapped_page, url):
    page = air_gapped_page.page
    page.goto(url)
    page.wait_for_selector(".choroplethlayer path.choroplethlocation", state="attached",
                           timeout=30_000)
    # The count is written by the view callback ("9 of 67 …", "9 éléments affichés sur 67").
    page.wait_for_function("/ of | sur /.test(document.querySelector('#record-count').innerText)")
    return page


def shown(page) -> int:
    return int(re.match(r"(\d+)", page.inner_text("#record-count")).group(1))
