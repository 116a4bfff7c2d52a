"""The Content-Security-Policy (nothing outside the app; scripts only from the app) blocks
nothing the dashboard itself does: loading, filtering, presenting, exporting, the shortcuts.
This page keeps the policy on (the other tests bypass it for Playwright's own waits), so it
waits by polling from Python and by selectors."""

import time

from conftest import AirGappedPage

RECORD_VIOLATIONS = """window.blocked = [];
document.addEventListener('securitypolicyviolation',
    e => window.blocked.push(e.violatedDirective + ' ' + e.blockedURI));"""


def wait_until(page, expression: str, timeout: float = 20):
    ends = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < ends, f"timed out waiting for {expression}"
        time.sleep(0.1)


def test_the_policy_blocks_nothing_the_dashboard_does(browser, server_url):
    gapped = AirGappedPage(browser, bypass_csp=False)
    page = gapped.page
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(server_url + "?theme=maritime-security")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".choroplethlayer path.choroplethlocation", state="attached")
    wait_until(page, "document.querySelector('#record-count').innerText.includes(' of ')")
    page.check("#filter-themes input[value='civil-security']")
    wait_until(page, "location.search.includes('civil-security')")
    page.click("h1")  # out of the checkbox: shortcuts do nothing in a field
    page.keyboard.press("p")
    page.wait_for_selector(".page.presenting")
    page.keyboard.press("Escape")
    page.wait_for_selector(".filters", state="visible")
    page.keyboard.press("?")
    page.wait_for_selector("#shortcuts[open]")
    page.keyboard.press("Escape")
    page.click("summary:has-text('Export map')")
    page.get_by_label("150 DPI").check()
    with page.expect_download(timeout=90_000):
        page.click("#export-button")
    assert page.evaluate("window.blocked") == []
    # A script injected into the page (as an XSS would) is refused.
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.injected = true'; document.head.appendChild(s); }""")
    wait_until(page, "window.blocked.length > 0")
    assert page.evaluate("window.injected === undefined")
    assert gapped.external == []
    page.close()
