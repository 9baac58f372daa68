#!/usr/bin/python3
"""The Mini App (/app) in headless Chromium against a running `wfa serve`, with a stub Telegram.WebApp.

Run by tests/integration/miniapp_browser_test.cpp, which seeds the data, starts the server and checks the database
afterwards. Exits 0 when every check holds; prints each check as it passes, and the failure with the page's text when
one does not. Saves a screenshot of the last screen (and NAME-agent.png of the agent view).
"""
import argparse
import hashlib
import hmac
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

THEME = {"bg_color": "#101820", "text_color": "#f2f2f2", "hint_color": "#8899aa", "link_color": "#62bcf9",
         "button_color": "#2ea6ff", "button_text_color": "#ffffff", "secondary_bg_color": "#1c2733"}
NEW_THEME = dict(THEME, bg_color="#fafafa", text_color="#111111", hint_color="#6d7780", button_color="#c0392b",
                 secondary_bg_color="#eceff1")

# The stub stands in for telegram-web-app.js (whose host the browser cannot resolve) before any page script runs.
STUB = """
(function () {
  const handlers = {};
  window.Telegram = { WebApp: {
    initData: %(init)s, initDataUnsafe: {}, version: '7.0', platform: 'tdesktop', colorScheme: 'dark',
    themeParams: %(theme)s, calls: [], alerts: [], confirms: [],
    onEvent: function (name, f) { (handlers[name] = handlers[name] || []).push(f); },
    offEvent: function (name, f) { handlers[name] = (handlers[name] || []).filter(function (g) { return g !== f; }); },
    emit: function (name) { (handlers[name] || []).forEach(function (f) { f.call(window.Telegram.WebApp); }); },
    ready: function () { this.calls.push('ready'); },
    expand: function () { this.calls.push('expand'); },
    showAlert: function (m, cb) { this.alerts.push(m); if (cb) cb(); },
    showConfirm: function (m, cb) { this.confirms.push(m); if (cb) cb(true); },
    BackButton: { isVisible: false, handler: null,
      show: function () { this.isVisible = true; }, hide: function () { this.isVisible = false; },
      onClick: function (f) { this.handler = f; }, offClick: function () { this.handler = null; } }
  } };
})();
"""


def sign(fields, token):
    """initData for FIELDS signed by TOKEN's bot, URL-encoded as Telegram sends it."""
    check = "\n".join("%s=%s" % (k, fields[k]) for k in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    signed = dict(fields, hash=hmac.new(secret, check.encode(), hashlib.sha256).hexdigest())
    return "&".join("%s=%s" % (k, urllib.parse.quote(signed[k], safe="-_.")) for k in sorted(signed))


def css_rgb(hex_colour):
    h = hex_colour.lstrip("#")
    return "rgb(%d, %d, %d)" % (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


class Check:
    """The browser and the checks on it: wait polls, passed prints."""

    def __init__(self, driver):
        self.driver = driver

    def wait(self, what, probe, timeout=10.0):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = probe()
                if last:
                    return last
            except WebDriverException as e:
                last = e
            time.sleep(0.05)
        raise AssertionError("%s (last: %r)" % (what, last))

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def text(self, selector):
        found = self.css(selector)
        return found[0].text if found else None

    @staticmethod
    def passed(what):
        print("ok -", what, flush=True)


RECORD = """
  const [block, title] = arguments;
  return [...document.querySelectorAll('[data-block="' + block + '"] .record')]
    .find(function (r) { const t = r.querySelector('.title'); return t && t.textContent === title; }) || null;
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", required=True, type=int, help="the server's loopback port")
    p.add_argument("--host", required=True, help="the partner's hostname; the browser maps it to 127.0.0.1")
    p.add_argument("--bot-token", required=True)
    p.add_argument("--telegram-id", required=True)
    p.add_argument("--email", required=True, help="the user's e-mail, as the members list shows it")
    p.add_argument("--expect", action="append", required=True,
                   help="WORKSPACE=KEY,KEY: the agents the user may use there; the first is an admin's, the second a member's")
    p.add_argument("--screenshot", required=True)
    a = p.parse_args()
    started = time.monotonic()
    expect = [(w, sorted(keys.split(","))) for w, keys in (e.split("=", 1) for e in a.expect)]

    url = "http://%s:%d/app" % (a.host, a.port)
    user = json.dumps({"id": int(a.telegram_id), "first_name": "Layla", "language_code": "en"}, separators=(",", ":"))
    good = sign({"auth_date": str(int(time.time())), "query_id": "AAH1", "user": user}, a.bot_token)
    bad = good.replace("Layla", "Laylo")

    profile = tempfile.mkdtemp(prefix="wfa-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--no-proxy-server", "--window-size=420,900", "--user-data-dir=" + profile,
                 "--host-resolver-rules=MAP %s 127.0.0.1, MAP telegram.org ~NOTFOUND" % a.host):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    c = Check(driver)
    failed = None
    try:
        stub = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                      {"source": STUB % {"init": json.dumps(good), "theme": json.dumps(THEME)}})
        driver.get(url)

        # Home: exactly the agents the API permits in the first workspace, the partner's brand, the SDK calls.
        (admin_ws, admin_keys), (member_ws, member_keys) = expect
        keys = c.wait("agent cards", lambda: sorted(e.get_attribute("data-key") for e in c.css(".agent-card")))
        assert keys == admin_keys, "cards %s, permitted %s" % (keys, admin_keys)
        c.passed("agent cards for the permitted agents only: %s" % ", ".join(keys))
        assert c.text("#brand") == "Acme Robotics", c.text("#brand")
        assert c.js("return getComputedStyle(document.querySelector('header')).borderBottomColor") == \
            css_rgb("#ff6600")
        assert c.js("return Telegram.WebApp.calls") == ["ready", "expand"]
        c.passed("partner branding (name, primary colour) applied; ready() and expand() called")

        # Theme: themeParams become the CSS variables, and a live themeChanged updates them.
        assert c.js("return getComputedStyle(document.body).backgroundColor") == css_rgb(THEME["bg_color"])
        assert c.js("return getComputedStyle(document.body).color") == css_rgb(THEME["text_color"])
        assert c.js("return getComputedStyle(document.querySelector('.agent-card')).backgroundColor") == \
            css_rgb(THEME["secondary_bg_color"])
        c.js("Telegram.WebApp.themeParams = arguments[0]; Telegram.WebApp.emit('themeChanged')", NEW_THEME)
        c.wait("the new theme", lambda: c.js("return getComputedStyle(document.body).backgroundColor")
               == css_rgb(NEW_THEME["bg_color"]))
        assert c.js("return getComputedStyle(document.documentElement).getPropertyValue('--tg-button').trim()") \
            == NEW_THEME["button_color"]
        c.passed("themeParams applied as computed colours; themeChanged updates them live")

        # Agent view: records, key figures, text shown as text, and an action that round-trips.
        c.css('.agent-card[data-key="voice"]')[0].click()
        front = lambda: c.js(RECORD, "agents", "Front desk")  # noqa: E731
        c.wait("the voice agents", front)
        figure = c.text('[data-stat="cost_cents_30d"] .figure') or ""
        assert figure.count(".") == 1 and len(figure.split(".")[1]) == 2, "cents shown as money: %r" % figure
        assert c.js(RECORD, "agents", "After hours <b>bold</b>"), "API text shown as text"
        assert not c.css("main b"), "API text is never parsed as HTML"
        assert c.js("return Telegram.WebApp.BackButton.isVisible"), "the BackButton shows on a sub-screen"
        active = lambda: c.js("return arguments[0].querySelector('[data-field=\"is_active\"]').textContent",  # noqa
                              front())
        assert active() == "No", active()
        c.js("arguments[0].querySelector('form[data-action=\"activate\"] button').click()", front())
        c.wait("the action's notice", lambda: "activated" in (c.text(".notice") or ""))
        c.wait("the refreshed row", lambda: active() == "Yes")
        c.passed("activate: click, POST, the server's message shown, data read again (is_active No -> Yes)")
        driver.save_screenshot(os.path.splitext(a.screenshot)[0] + "-agent.png")

        # A row action with a typed parameter: close a follow-up with a note.
        c.js("Telegram.WebApp.BackButton.handler()")
        c.wait("home again", lambda: c.css('.agent-card[data-key="customer_service"]'))[0].click()
        form = c.wait("a follow-up", lambda: c.css('[data-block="follow_ups"] form[data-action="close_follow_up"]'))[0]
        form.find_element(By.CSS_SELECTOR, 'input[name="note"]').send_keys("called back")
        form.find_element(By.CSS_SELECTOR, "button").click()
        c.wait("the follow-up gone", lambda: c.css(".notice") and not c.css('[data-block="follow_ups"] .record'))
        c.passed("close_follow_up with a note: the row is gone after the refresh")

        # Members and invitations (an admin): the list, an invitation made and revoked.
        c.js("Telegram.WebApp.BackButton.handler()")
        c.wait("home again", lambda: c.css("#open-members"))
        assert not c.js("return Telegram.WebApp.BackButton.isVisible")
        c.css("#open-members")[0].click()
        c.wait("the member list", lambda: a.email in (c.text("#members") or ""))
        c.wait("the invitations", lambda: c.css(".section .empty") or c.css("#invitations"))
        c.css('#invite input[name="email"]')[0].send_keys("omar@acme.test")
        c.css("#invite button")[0].click()
        c.wait("the new invitation", lambda: "omar@acme.test" in (c.text("#invitations") or ""))
        c.css("#invitations .revoke")[0].click()
        c.wait("the revoked invitation", lambda: "revoked" in (c.text("#invitations") or ""))
        c.passed("members listed; an invitation created and revoked")

        # A member sees that workspace's granted agents and no team screen.
        c.js("Telegram.WebApp.BackButton.handler()")
        picker = c.wait("the workspace picker", lambda: c.css("select#workspace"))[0]
        c.js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", picker, member_ws)
        keys = c.wait("the member's agents", lambda: c.css("select#workspace") and c.js(
            "return document.querySelector('select#workspace').value") == member_ws and
            sorted(e.get_attribute("data-key") for e in c.css(".agent-card")))
        assert keys == member_keys, "cards %s, permitted %s" % (keys, member_keys)
        assert not c.css("#open-members"), "members and invitations are for owners and admins"
        c.passed("workspace picker: %s shows %s and no team screen" % (member_ws, ", ".join(keys)))

        # Errors: initData the server refuses shows its message and Retry; Retry with good initData recovers.
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", stub)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                               {"source": STUB % {"init": json.dumps(bad), "theme": json.dumps(THEME)}})
        driver.refresh()
        message = c.wait("the error state", lambda: c.text(".error .message"))
        assert "initData does not hold" in message, message
        assert c.css(".error button.retry")
        c.js("Telegram.WebApp.initData = arguments[0]", good)
        c.css(".error button.retry")[0].click()
        c.wait("recovered agent cards", lambda: c.css(".agent-card"))
        assert not c.css(".error")
        c.passed("a refused request shows the API's error.message and Retry; Retry recovers")
        driver.save_screenshot(a.screenshot)
    except Exception as e:  # every failure ends in one message with the page's text and a screenshot
        failed = e
        try:
            driver.save_screenshot(a.screenshot)
            print("page text:\n" + driver.find_element(By.TAG_NAME, "body").text, file=sys.stderr)
        except WebDriverException:
            pass
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print("screenshot: %s; took %.1f s" % (a.screenshot, time.monotonic() - started), flush=True)
    if failed:
        print("FAILED: %s: %s" % (type(failed).__name__, failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
