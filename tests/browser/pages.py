"""Helpers the browser tests share: open a view and wait until the dashboard has drawn it."""

import re


def open_view(air_gapped_page, url):
    page = air_gapped_page.page
    page.goto(url)
    page.wait_for_selector(".choroplethlayer path.choroplethlocation", state="attached",
                           timeout=30_000)
    page.wait_for_function("document.querySelector('#record-count').innerText.includes(' of ')")
    return page


def shown(page) -> int:
    return int(re.match(r"(\d+) of", page.inner_text("#record-count")).group(1))
