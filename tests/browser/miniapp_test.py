#!/usr/bin/python3
"""The Mini App (/app) in headless Chromium against a running `wfa serve`, with a stub Telegram.WebApp.

Run by tests/integration/miniapp_browser_test.cpp, which seeds the data and starts the server. Exits 0 when every
check holds; prints each check as it passes, and the failure with the page's text when one does not. With
--fake-agents, a loopback proxy in front of the server answers the agent and invitation routes from fake_agents.py
(the server's own routes for them are not written yet) after the server has accepted the same initData.
"""
import argparse
import hashlib
import hmac
import http.client
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_agents import ACCESS, FakeAgents  # noqa: E402

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


class Proxy(http.server.ThreadingHTTPServer):
    """Passes requests to the server; with FAKE, answers the routes fake_agents knows once the server accepts the
    caller (GET /api/user with the same headers)."""
    daemon_threads = True

    def __init__(self, server, fake):
        self.upstream = urllib.parse.urlsplit(server)
        self.fake = fake
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), ProxyHandler)

    def forward(self, method, target, headers, body):
        c = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=10)
        try:
            c.request(method, target, body=body, headers=headers)
            r = c.getresponse()
            return r.status, r.getheaders(), r.read()
        finally:
            c.close()


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        split = urllib.parse.urlsplit(self.path)
        if self.server.fake is not None and split.path.startswith(("/api/agents/", "/api/org/invitations")):
            auth = {k: v for k, v in headers.items() if k.lower() in ("host", "x-telegram-init-data", "authorization")}
            status, answer_headers, answer = self.server.forward("GET", "/api/user", auth, None)
            if status != 200:
                return self.reply(status, "application/json", answer)
            try:
                doc = json.loads(body) if body else {}
            except ValueError:
                doc = None
            if not isinstance(doc, dict):
                return self.reply(400, "application/json",
                                  b'{"error":{"category":"invalid_input","message":"the body is not a JSON object"}}')
            with self.server.lock:
                status, doc = self.server.fake.answer(self.command, split.path, dict(urllib.parse.parse_qsl(split.query)),
                                                      doc)
            return self.reply(status, "application/json", json.dumps(doc).encode())
        status, answer_headers, answer = self.server.forward(self.command, self.path, headers, body)
        self.send_response(status)
        for k, v in answer_headers:
            if k.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def reply(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = do_PUT = do_HEAD = handle_any


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


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--server", required=True, help="the server's base URL, http://127.0.0.1:PORT")
    p.add_argument("--host", required=True, help="the partner's hostname; the browser maps it to 127.0.0.1")
    p.add_argument("--bot-token", required=True)
    p.add_argument("--telegram-id", required=True)
    p.add_argument("--email", required=True, help="the user's e-mail, as the members list shows it")
    p.add_argument("--screenshot", required=True)
    p.add_argument("--fake-agents", action="store_true", help="answer the agent and invitation routes from fakes")
    a = p.parse_args()
    started = time.monotonic()

    fake = FakeAgents() if a.fake_agents else None
    proxy = Proxy(a.server, fake)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    url = "http://%s:%d/app" % (a.host, proxy.server_address[1])
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
        main_keys = sorted(ACCESS["acme/main"])
        keys = c.wait("agent cards", lambda: sorted(e.get_attribute("data-key") for e in c.css(".agent-card")))
        assert keys == main_keys, "cards %s, permitted %s" % (keys, main_keys)
        assert not c.css('.agent-card[data-key="sales"]'), "no card for an agent the user may not use"
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

        # Agent view: records, stats, text shown as text, and an action that round-trips.
        c.css('.agent-card[data-key="voice"]')[0].click()
        c.wait("the voice agents", lambda: c.css('[data-block="agents"] .record[data-id="a1"]'))
        assert c.text('[data-stat="cost_cents"] .figure') == "0.37", c.text('[data-stat="cost_cents"] .figure')
        titles = [e.text for e in c.css('[data-block="agents"] .record .title')]
        assert "After hours <b>bold</b>" in titles, titles
        assert not c.css("main b"), "API text is never parsed as HTML"
        assert c.js("return Telegram.WebApp.BackButton.isVisible"), "the BackButton shows on a sub-screen"
        field = '.record[data-id="a1"] [data-field="is_active"]'
        assert c.text(field) == "No", c.text(field)
        reads = fake.data_reads if fake else None
        c.css('.record[data-id="a1"] form[data-action="activate"] button')[0].click()
        c.wait("the action's notice", lambda: c.css(".notice"))
        c.wait("the refreshed row", lambda: c.text(field) == "Yes")
        if fake:
            assert fake.posts[-1] == ("voice/actions", {"action": "activate", "agent": "a1"}), fake.posts
            assert fake.data_reads == reads + 1, "the data is read again after the action, not taken from the cache"
        c.passed("activate: click, POST, notice shown, data refreshed (is_active No -> Yes)")
        driver.save_screenshot(os.path.splitext(a.screenshot)[0] + "-agent.png")

        # Members and invitations (Layla is an admin of acme/main): the list, an invitation made and revoked.
        c.js("Telegram.WebApp.BackButton.handler()")
        c.wait("home again", lambda: c.css("#open-members"))
        assert not c.js("return Telegram.WebApp.BackButton.isVisible")
        c.css("#open-members")[0].click()
        c.wait("the member list", lambda: a.email in (c.text("#members") or ""))
        c.wait("no invitations", lambda: c.css(".section .empty") or c.css("#invitations"))
        c.css('#invite input[name="email"]')[0].send_keys("omar@acme.test")
        c.css("#invite button")[0].click()
        c.wait("the new invitation", lambda: "omar@acme.test" in (c.text("#invitations") or ""))
        c.css("#invitations .revoke")[0].click()
        c.wait("the revoked invitation", lambda: "revoked" in (c.text("#invitations") or ""))
        c.passed("members listed from the server; an invitation created and revoked")

        # A member (acme/ops) sees that workspace's agents and no team screen.
        c.js("Telegram.WebApp.BackButton.handler()")
        picker = c.wait("the workspace picker", lambda: c.css("select#workspace"))[0]
        c.js("arguments[0].value = 'acme/ops'; arguments[0].dispatchEvent(new Event('change'))", picker)
        ops = c.wait("the ops agents", lambda: c.css("select#workspace") and c.js(
            "return document.querySelector('select#workspace').value") == "acme/ops" and
            sorted(e.get_attribute("data-key") for e in c.css(".agent-card")))
        assert ops == sorted(ACCESS["acme/ops"]), ops
        assert not c.css("#open-members"), "members and invitations are for owners and admins"
        c.passed("workspace picker switches workspace; a member gets no team screen")

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
        proxy.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    print("screenshot: %s; took %.1f s" % (a.screenshot, time.monotonic() - started), flush=True)
    if failed:
        print("FAILED: %s: %s" % (type(failed).__name__, failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
