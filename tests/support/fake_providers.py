#!/ usr / bin / python3
"""A fake VAPI, Retell and Synthflow on loopback, for tests: the endpoints wfa uses, with the documented request and
response shapes (../shared/reference/providers.md §1-3), every request recorded, and faults the test injects.

Usage: fake_providers.py [--key PROVIDER=KEY ...] [--latency-ms N]   prints "PORT" on its first line, then serves until killed.
Routes: /vapi/..., /retell/..., /synthflow/v2/..., /telegram/..., /stripe/v1/... (set WFA_VAPI_BASE_URL=http://127.0.0.1:PORT/vapi and so on).
Control: GET /__requests (every request: provider, method, path, query, headers without Authorization's value, body),
GET /__objects (what each provider holds; phone numbers in PROVIDER_numbers, VAPI's credentials without their
secrets in vapi_credentials), POST /__numbers with {"vapi": [...], "retell": [...], "synthflow": [...]} numbers the
accounts already have, POST /__faults with a JSON list of faults, each
{"provider", "method", "path" (a regular expression), "skip" (matching requests let through first), "times",
"status", "retry_after", "delay_ms", "body", "reset"},
consumed in order by matching requests; POST /__reset forgets requests, objects and faults.
Telegram: GET /__telegram/messages (each sendMessage taken: message_id, chat_id, text, parse_mode, at in ms),
POST /__telegram/send_faults with a JSON list of {"times", "error_code", "retry_after", "description"} for the next
sendMessage calls (Telegram-shaped errors: a 429 carries parameters.retry_after).
Calls: VAPI POST /call, Retell POST /v2/create-phone-call and /v2/create-web-call, Synthflow POST /calls create calls
that join the provider's call list (metadata kept) and end after a simulated duration. POST /__dial sets how:
{"duration_ms", "outcomes" ({"completed": 0.6, "no_answer": 0.2, ...}: also busy, voicemail, failed, refused,
opted_out), "webhooks" ({PROVIDER: {"url", "secret"}}: a signed end-of-call webhook, as the provider signs it),
"refuse_over" (calls at once past which a create is refused as the provider refuses for concurrency; VAPI's answers
carry subscriptionLimits {concurrencyBlocked, concurrencyLimit, remainingConcurrentCalls} as its POST /call does),
"vapi_refusal" ("blocked": VAPI refuses with a 201 whose subscriptionLimits.concurrencyBlocked is true, not a 400),
"reset_stats"};
GET /__dial/stats gives {in_flight, max_in_flight, created, refused, calls: [{provider, call_id, to, from, created_ms,
ended_ms, attempt_id, outcome}]}; a call is in flight from its create request's arrival to its end, when its end
webhook is sent: as at a provider, whose concurrency slot is free once the call has ended.
"""
import base64
import hashlib
import hmac
import heapq
import json
import random
import re
import urllib.request
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

LOCK = threading.Lock()
KEYS = {}
LATENCY = [0.0]  # seconds added to every provider request (--latency-ms), as a distant provider would
REQUESTS = []
FAULTS = []
OBJECTS = {
  "vapi" : {}, "retell_llm" : {}, "retell_agent" : {}, "synthflow" : {},
  "vapi_calls" : [], "retell_calls" : [], "synthflow_calls" : []}


def now_ms():
    return int(time.time() * 1000)


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + ".%03dZ" % (ms % 1000)


# ---- Calls that ring and end -------------------------------------------------------------------------------------
DIAL = {"duration_ms": 500, "outcomes": {"completed": 1.0}, "webhooks": {}, "refuse_over": None}
STATS = {"in_flight": 0, "max_in_flight": 0, "created": 0, "refused": 0, "calls": []}
CREATE_ROUTES = {("vapi", "POST", "/call"), ("retell", "POST", "/v2/create-phone-call"),
                 ("synthflow", "POST", "/calls")}
# How each provider ends a call of each outcome: VAPI endedReason, Retell (call_status, disconnection_reason),
# Synthflow status.
VAPI_ENDS = {"completed": "customer-ended-call", "no_answer": "customer-did-not-answer", "busy": "customer-busy",
             "voicemail": "voicemail", "failed": "twilio-failed-to-connect-call"}
RETELL_ENDS = {"completed": ("ended", "user_hangup"), "no_answer": ("ended", "dial_no_answer"),
               "busy": ("ended", "dial_busy"), "voicemail": ("ended", "voicemail_reached"),
               "failed": ("ended", "dial_failed")}
SYNTHFLOW_ENDS = {"completed": "completed", "no_answer": "no-answer", "busy": "busy",
                  "voicemail": "hangup_on_voicemail", "failed": "failed"}
# The provider's refusal of a call for want of a concurrency slot (status, body).
REFUSALS = {"vapi": (400, {"error": "Over Concurrency Limit", "message": "Over Concurrency Limit"}),
            "retell": (429, {"error_message": "Concurrency limit reached for this workspace"}),
            "synthflow": (429, {"detail": {"status": 429, "description": "Concurrent call limit reached"}})}


class Ender(threading.Thread):
    """One thread ends every call at its time (a heap of deadlines); webhook deliveries go to a small pool."""

    def __init__(self):
        super().__init__(daemon=True)
        self.heap = []
        self.ready = threading.Condition()
        self.deliveries = []
        self.delivery_ready = threading.Condition()
        for _ in range(16):
            threading.Thread(target=self.deliver_loop, daemon=True).start()
        self.start()

    def at(self, when, call):
        with self.ready:
            heapq.heappush(self.heap, (when, id(call), call))
            self.ready.notify()

    def run(self):
        while True:
            with self.ready:
                while not self.heap or self.heap[0][0] > time.time():
                    self.ready.wait(None if not self.heap else max(0.0, self.heap[0][0] - time.time()))
                _, _, call = heapq.heappop(self.heap)
            end_call(call)

    def post(self, job):
        with self.delivery_ready:
            self.deliveries.append(job)
            self.delivery_ready.notify()

    def deliver_loop(self):
        while True:
            with self.delivery_ready:
                while not self.deliveries:
                    self.delivery_ready.wait()
                job = self.deliveries.pop(0)
            deliver(*job)


ENDER = []


def ender():
    if not ENDER:
        ENDER.append(Ender())
    return ENDER[0]


def finished(record):
    with LOCK:
        if not record.get("done"):
            record["done"] = True
            STATS["in_flight"] -= 1


def draw_outcome():
    mix = DIAL.get("outcomes") or {"completed": 1.0}
    names = list(mix)
    return random.choices(names, weights=[float(mix[n]) for n in names])[0]


def end_call(entry):
    """Ends a created call: its provider's ended fields for the outcome drawn; then its webhook, or out of flight."""
    provider, call, record = entry["provider"], entry["call"], entry["record"]
    outcome = draw_outcome()
    ended = now_ms()
    talked = outcome in ("completed", "refused", "opted_out")
    base = "completed" if talked else outcome
    flags = {"refused": True} if outcome == "refused" else {"opted_out": True} if outcome == "opted_out" else {}
    with LOCK:
        record["outcome"] = outcome
        record["ended_ms"] = ended
        started = record["created_ms"]
        if provider == "vapi":
            call.update(status="ended", endedReason=VAPI_ENDS[base], updatedAt=iso(ended), endedAt=iso(ended),
                        cost=0.05 if talked else 0)
            if talked:
                call.update(startedAt=iso(started), artifact={"transcript": "AI: Hello\nUser: Hi"},
                            analysis={"summary": "a short call", "structuredData": flags})
        elif provider == "retell":
            status, reason = RETELL_ENDS[base]
            call.update(call_status=status, disconnection_reason=reason, end_timestamp=ended,
                        duration_ms=ended - started if talked else 0)
            if talked:
                call["call_analysis"] = {"call_summary": "a short call", "custom_analysis_data": flags}
        else:
            status = SYNTHFLOW_ENDS[base]
            call.update(status=status, call_status=status, duration=(ended - started) // 1000 if talked else 0)
            if flags:
                call["collected_variables"] = flags
        target = (DIAL.get("webhooks") or {}).get(provider)
        body = json.loads(json.dumps(call))
    finished(record)
    if target:
        ender().post((record, provider, body, target))


def deliver(record, provider, call, target):
    """POSTs the end-of-call webhook, signed as PROVIDER signs it (serve/webhooks.cpp checks the same)."""
    secret = target.get("secret", "").encode()
    headers = {"Content-Type": "application/json"}
    if provider == "vapi":
        raw = json.dumps({"message": {"type": "end-of-call-report", "endedReason": call.get("endedReason"),
                                      "call": call, "artifact": call.get("artifact", {}),
                                      "analysis": call.get("analysis", {}), "timestamp": now_ms()}}).encode()
        stamp = str(now_ms())
        headers["X-Timestamp"] = stamp
        headers["X-Signature"] = hmac.new(secret, stamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    elif provider == "retell":
        raw = json.dumps({"event": "call_ended", "call": call}).encode()
        stamp = str(now_ms())
        digest = hmac.new(secret, raw + stamp.encode(), hashlib.sha256).hexdigest()
        headers["X-Retell-Signature"] = "v=%s,d=%s" % (stamp, digest)
    else:
        webhook_call = dict(call, status=call.get("status"))
        raw = json.dumps({"status": "completed", "call": webhook_call,
                          "lead": {"name": call.get("lead_name"), "phone_number": call.get("lead_phone_number")}}
                         ).encode()
        headers["Synthflow-Signature"] = base64.b64encode(
            hmac.new(secret, call["call_id"].encode(), hashlib.sha256).digest()).decode()
    for _ in range(3):  # non-2xx is delivered again, as Retell does
        try:
            with urllib.request.urlopen(urllib.request.Request(target["url"], data=raw, headers=headers,
                                                               method="POST"), timeout=10) as answer:
                if 200 <= answer.status < 300:
                    break
        except Exception:
            time.sleep(0.05)
    with LOCK:
        record["delivered_ms"] = now_ms()


def created_call(provider, body):
    """The call object PROVIDER keeps for a create request with BODY, or an error answer (status, body)."""
    stamp = now_ms()
    if provider == "vapi":
        if not body.get("assistantId") or not body.get("phoneNumberId") or \
                not (body.get("customer") or {}).get("number"):
            return None, (400, {"message": ["assistantId, phoneNumberId and customer.number are required"]})
        call = {"id": str(uuid.uuid4()), "orgId": "org-fake", "type": "outboundPhoneCall", "status": "queued",
                "createdAt": iso(stamp), "updatedAt": iso(stamp), "assistantId": body["assistantId"],
                "phoneNumberId": body["phoneNumberId"], "customer": body["customer"],
                "metadata": body.get("metadata", {}), "assistantOverrides": body.get("assistantOverrides", {})}
        return call, None
    if provider == "retell":
        if not body.get("from_number") or not body.get("to_number"):
            return None, (400, {"error_message": "from_number and to_number are required"})
        agent = body.get("override_agent_id") or ""
        call = {"call_id": uuid.uuid4().hex, "agent_id": agent, "agent_version": 0, "call_status": "registered",
                "call_type": "phone_call", "direction": "outbound", "from_number": body["from_number"],
                "to_number": body["to_number"], "metadata": body.get("metadata", {}),
                "retell_llm_dynamic_variables": body.get("retell_llm_dynamic_variables", {}),
                "start_timestamp": stamp}
        return call, None
    missing = [f for f in ("model_id", "phone", "name") if not body.get(f)]
    if missing:
        return None, (422, {"detail": {"status": 422, "description": "missing " + ",".join(missing)}})
    variables = {v.get("key"): v.get("value") for v in body.get("custom_variables", []) if isinstance(v, dict)}
    call = {"call_id": str(uuid.uuid4()), "model_id": body["model_id"], "status": "queued", "call_status": "queued",
            "start_time": str(stamp), "type_of_call": "outbound", "phone_number_to": body["phone"],
            "lead_phone_number": body["phone"], "lead_name": body["name"],
            "phone_number_from": body.get("from_phone_number"), "prompt_variables": variables, "duration": 0}
    return call, None


def call_reply(provider, call):
    if provider == "vapi":
        limit = DIAL.get("refuse_over") or 10
        return 201, dict(call, subscriptionLimits={"concurrencyBlocked": False, "concurrencyLimit": limit,
                                                   "remainingConcurrentCalls": max(0, limit - STATS["in_flight"])})
    if provider == "retell":
        return 201, call
    return 200, {"status": "ok", "response": {"call_id": call["call_id"]}}


def attempt_of(provider, call):
    if provider == "synthflow":
        return call.get("prompt_variables", {}).get("wfa_attempt_id")
    return (call.get("metadata") or {}).get("wfa_attempt_id")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes; Nagle would hold the body for the client's delayed ACK

    def log_message(self, *args):
        pass

    def reply(self, status, body=None, headers=None):
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self._headers_buffer.append(b"\r\n" + data)  # the blank line and the body leave with the headers, in one write
        self.flush_headers()

    def handle_any(self, method):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path.startswith("/__"):
            return self.control(method, url.path, raw)
        parts = url.path.split("/", 2)
        provider = parts[1] if len(parts) > 1 else ""
        rest = "/" + (parts[2] if len(parts) > 2 else "")
        if provider == "synthflow" and rest.startswith("/v2"):
            rest = rest[3:] or "/"
        self.dial = None  # a create-call request: "counted" (in flight from now on) or "refused"
        self.arrived_ms = now_ms()
        if (provider, method, rest) in CREATE_ROUTES:
            with LOCK:
                limit = DIAL.get("refuse_over")
                if limit is not None and STATS["in_flight"] >= limit:
                    STATS["refused"] += 1
                    self.dial = "refused"
                else:
                    STATS["in_flight"] += 1
                    STATS["max_in_flight"] = max(STATS["max_in_flight"], STATS["in_flight"])
                    self.dial = "counted"
        try:
            return self.provider_request(method, url, raw, provider, rest)
        finally:
            if self.dial == "counted":  # counted, but no call came of it
                with LOCK:
                    STATS["in_flight"] -= 1

    def provider_request(self, method, url, raw, provider, rest):
        if LATENCY[0]:
            time.sleep(LATENCY[0])
        auth = self.headers.get("Authorization", "")
        authorized = auth == "Bearer " + KEYS.get(provider, "\0")
        if provider == "telegram":  # the Bot API carries the token in the path: /bot<TOKEN>/<method>
            authorized = rest.startswith("/bot" + KEYS.get("telegram", "\0") + "/")
            rest = "/" + rest.split("/", 2)[2] if authorized else rest
        record = {"provider": provider, "method": method, "path": rest, "query": url.query,
                  "authorized": authorized, "idempotency_key": self.headers.get("Idempotency-Key"),
                  "body": raw.decode("utf-8", "replace"), "at": now_ms()}
        with LOCK:
            REQUESTS.append(record)
            fault = None
            for f in FAULTS:
                if f.get("times", 1) > 0 and f.get("provider", provider) == provider and \
                        f.get("method", method) == method and re.search(f.get("path", ""), rest):
                    if f.get("skip", 0) > 0:
                        f["skip"] -= 1
                        continue
                    f["times"] = f.get("times", 1) - 1
                    fault = dict(f)
                    break
        if fault:
            if fault.get("delay_ms"):
                time.sleep(fault["delay_ms"] / 1000)
            if fault.get("reset"):
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if fault.get("status"):
                headers = {
  "Retry-After" : str(fault["retry_after"])} if "retry_after" in fault else {}
                body = fault.get("body", {"error": "injected"})
                return self.reply(fault["status"], body.encode() if isinstance(body, str) else body, headers)
        if not record["authorized"]:
            return self.reply(401, {"error": "Unauthorized"})
        try:
            if provider == "stripe":  # Stripe's API takes form-encoded bodies
                body = {k: v[-1] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
            else:
                body = json.loads(raw) if raw else {}
        except ValueError:
            return self.reply(400, {"error": "body is not JSON"})
        if (provider, method, rest) in CREATE_ROUTES:
            return self.create_call(provider, body)
        if (provider, method, rest) == ("retell", "POST", "/v2/create-web-call"):
            if not body.get("agent_id"):
                return self.reply(400, {"error_message": "agent_id is required"})
            call = {"call_id": uuid.uuid4().hex, "agent_id": body["agent_id"], "call_type": "web_call",
                    "call_status": "registered", "access_token": "web-token-" + uuid.uuid4().hex,
                    "metadata": body.get("metadata", {})}
            with LOCK:
                OBJECTS.setdefault("retell_web_calls", []).append(call)
            return self.reply(201, call)
        route = getattr(self, "route_" + provider, None)
        if route is None:
            return self.reply(404, {"error": "no such provider"})
        return route(method, rest, parse_qs(url.query), body)

    def create_call(self, provider, body):
        """A created call joins the provider's list and ends after DIAL's duration; a refusal answers as the provider."""
        if self.dial == "refused":
            if provider == "vapi" and DIAL.get("vapi_refusal") == "blocked":
                # VAPI's documented answer when every slot is taken: the call, with subscriptionLimits saying so
                # (docs.vapi.ai/calls/call-concurrency).
                call, _ = created_call(provider, body)
                return self.reply(201, dict(call or {"id": str(uuid.uuid4())}, status="ended",
                                            subscriptionLimits={"concurrencyBlocked": True,
                                                                "concurrencyLimit": DIAL.get("refuse_over"),
                                                                "remainingConcurrentCalls": 0}))
            status, answer = REFUSALS[provider]
            return self.reply(status, answer)
        call, error = created_call(provider, body)
        if error:
            return self.reply(*error)
        created = self.arrived_ms
        record = {"provider": provider, "call_id": call.get("id") or call["call_id"],
                  "to": (call.get("customer") or {}).get("number") or call.get("to_number") or call.get(
                      "phone_number_to"),
                  "from": call.get("from_number") or call.get("phone_number_from") or call.get("phoneNumberId"),
                  "created_ms": created, "ended_ms": None, "attempt_id": attempt_of(provider, call), "outcome": None}
        with LOCK:
            OBJECTS[provider + "_calls"].append(call)
            STATS["created"] += 1
            STATS["calls"].append(record)
            status, answer = call_reply(provider, call)
            answer = json.loads(json.dumps(answer))
        self.dial = None  # in flight until its end
        ender().at(time.time() + float(DIAL.get("duration_ms", 500)) / 1000,
                   {"provider": provider, "call": call, "record": record})
        return self.reply(status, answer)

    def control(self, method, path, raw):
        with LOCK:
            if path == "/__requests":
                return self.reply(200, REQUESTS)
            if path == "/__objects":
                return self.reply(200, OBJECTS)
            if path == "/__numbers" and method == "POST":  # numbers an account already has, to adopt
                for provider, numbers in json.loads(raw).items():
                    for number in numbers:
                        key = {"vapi": "id", "retell": "phone_number", "synthflow": "slug"}[provider]
                        OBJECTS.setdefault(provider + "_numbers", {})[number[key]] = number
                return self.reply(204)
            if path == "/__calls" and method == "POST":
                for provider, calls in json.loads(raw).items():
                    OBJECTS[provider + "_calls"].extend(calls)
                return self.reply(204)
            if path == "/__telegram/messages" and method == "GET":  # every sendMessage taken, with its arrival
                return self.reply(200, OBJECTS.setdefault("telegram_messages", []))
            if path == "/__telegram/send_faults" and method == "POST":  # the next sendMessage calls fail as told
                OBJECTS.setdefault("telegram_send_faults", []).extend(json.loads(raw))
                return self.reply(204)
            if path == "/__telegram" and method == "POST":  # what Telegram's getWebhookInfo says from now on
                OBJECTS.setdefault("telegram_webhook", {"url": "", "pending_update_count": 0}).update(json.loads(raw))
                return self.reply(204)
            if path == "/__dial" and method == "POST":
                config = json.loads(raw)
                if config.pop("reset_stats", False):
                    STATS.update(in_flight=0, max_in_flight=0, created=0, refused=0, calls=[])
                DIAL.update(config)
                return self.reply(204)
            if path == "/__dial/stats" and method == "GET":
                return self.reply(200, STATS)
            if path == "/__dial/count" and method == "GET":  # the stats without the calls, cheap to poll
                return self.reply(200, {k: v for k, v in STATS.items() if k != "calls"})
            if path == "/__faults" and method == "POST":
                FAULTS.extend(json.loads(raw))
                return self.reply(204)
            if path == "/__reset" and method == "POST":
                STATS.update(in_flight=0, max_in_flight=0, created=0, refused=0, calls=[])
                REQUESTS.clear()
                FAULTS.clear()
                for table in OBJECTS.values():
                    table.clear()
                return self.reply(204)
        return self.reply(404, {"error": "no such control"})

#VAPI : / assistant(POST create, GET list), / assistant / {id }(GET, PATCH, DELETE).
    def route_vapi(self, method, path, query, body):
        if path == "/call" and method == "GET":
            def keep(call):
                at = call["createdAt"]
                for name, test in (("createdAtGt", lambda b: at > b), ("createdAtGe", lambda b: at >= b),
                                   ("createdAtLt", lambda b: at < b), ("createdAtLe", lambda b: at <= b)):
                    if name in query and not test(query[name][0]):
                        return False
                return True
            limit = int(query.get("limit", ["100"])[0])
            if limit < 0 or limit > 1000:
                return self.reply(400, {"message": ["limit must not be greater than 1000"]})
            with LOCK:
                calls = sorted((c for c in OBJECTS["vapi_calls"] if keep(c)), key=lambda c: c["createdAt"],
                               reverse=True)
            return self.reply(200, calls[:limit])
        if path.startswith("/phone-number") or path.startswith("/credential"):
            return self.vapi_numbers(method, path, body)
        table = OBJECTS["vapi"]
        match = re.fullmatch(r"/assistant(?:/([^/]+))?", path)
        if not match:
            return self.reply(404, {"message": "Cannot " + method + " " + path})
        ident = match.group(1)
        with LOCK:
            if ident is None and method == "GET":
                limit = int(query.get("limit", ["100"])[0])
                return self.reply(200, list(table.values())[:limit])
            if ident is None and method == "POST":
                stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
                obj = dict(body, id=str(uuid.uuid4()), orgId="org-fake", createdAt=stamp, updatedAt=stamp)
                table[obj["id"]] = obj
                return self.reply(201, obj)
            if ident not in table:
                return self.reply(404, {"message": "Couldn't Get Assistant. `assistant` Not Found."})
            if method == "GET":
                return self.reply(200, table[ident])
            if method == "PATCH":
                table[ident].update(body)
                table[ident]["updatedAt"] = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
                return self.reply(200, table[ident])
            if method == "DELETE":
                return self.reply(200, table.pop(ident))
        return self.reply(405, {"message": "method not allowed"})

    def vapi_numbers(self, method, path, body):
        """VAPI's /phone-number (POST create or import, GET, PATCH assistantId, DELETE), POST and DELETE /credential."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        numbers = OBJECTS.setdefault("vapi_numbers", {})
        credentials = OBJECTS.setdefault("vapi_credentials", {})
        with LOCK:
            if path == "/credential" and method == "POST":
                kind = body.get("provider")
                required = {"vonage": ["apiKey", "apiSecret"], "telnyx": ["apiKey"], "byo-sip-trunk": ["gateways"]}
                if kind not in required:
                    return self.reply(400, {"message": ["provider must be one of the credential providers"]})
                missing = [f for f in required[kind] if not body.get(f)]
                if missing:
                    return self.reply(400, {"message": [f + " should not be empty" for f in missing]})
                if kind == "byo-sip-trunk" and not all(isinstance(g, dict) and g.get("ip") for g in body["gateways"]):
                    return self.reply(400, {"message": ["gateways.ip should not be empty"]})
                obj = {"id": str(uuid.uuid4()), "orgId": "org-fake", "provider": kind, "createdAt": stamp,
                       "updatedAt": stamp}
                credentials[obj["id"]] = obj
                return self.reply(201, obj)
            match = re.fullmatch(r"/credential/([^/]+)", path)
            if match and method == "DELETE":
                if match.group(1) not in credentials:
                    return self.reply(404, {"message": "Couldn't Get Credential. `credential` Not Found."})
                return self.reply(200, credentials.pop(match.group(1)))
            if path == "/phone-number" and method == "POST":
                kind = body.get("provider")
                e164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
                if kind == "vapi":
                    area = body.get("numberDesiredAreaCode", "")
                    if not re.fullmatch(r"[2-9][0-9]{2}", str(area)):
                        return self.reply(400, {"message": ["numberDesiredAreaCode must be a 3-digit area code"]})
                    number = "+1%s555%04d" % (area, len(numbers) + 100)
                elif kind in ("twilio", "vonage", "telnyx", "byo-phone-number"):
                    number = body.get("number", "")
                    if not e164.match(number):
                        return self.reply(400, {"message": ["number must be a valid phone number in E.164"]})
                    if kind == "twilio" and not (body.get("twilioAccountSid") and body.get("twilioAuthToken")):
                        return self.reply(400, {"message": ["twilioAccountSid and twilioAuthToken are required"]})
                    if kind != "twilio" and body.get("credentialId") not in credentials:
                        return self.reply(400, {"message": ["credentialId does not exist"]})
                else:
                    return self.reply(400, {"message": ["provider must be one of vapi, twilio, vonage, telnyx, "
                                                        "byo-phone-number"]})
                if any(n["number"] == number for n in numbers.values()):
                    return self.reply(400, {"message": ["number " + number + " already exists in this org"]})
                obj = {"id": str(uuid.uuid4()), "orgId": "org-fake", "provider": kind, "number": number,
                       "status": "active", "assistantId": body.get("assistantId"), "createdAt": stamp,
                       "updatedAt": stamp}
                if body.get("credentialId"):
                    obj["credentialId"] = body["credentialId"]
                numbers[obj["id"]] = obj
                return self.reply(201, obj)
            match = re.fullmatch(r"/phone-number/([^/]+)", path)
            if not match:
                return self.reply(404, {"message": "Cannot " + method + " " + path})
            ident = unquote(match.group(1))
            if ident not in numbers:
                return self.reply(404, {"message": "Couldn't Get PhoneNumber. `phoneNumber` Not Found."})
            if method == "GET":
                return self.reply(200, numbers[ident])
            if method == "PATCH":
                assistant = body.get("assistantId")
                if assistant is not None and assistant not in OBJECTS["vapi"]:
                    return self.reply(400, {"message": ["assistantId does not exist"]})
                numbers[ident].update(body)
                numbers[ident]["updatedAt"] = stamp
                return self.reply(200, numbers[ident])
            if method == "DELETE":
                return self.reply(200, numbers.pop(ident))
        return self.reply(405, {"message": "method not allowed"})

    def retell_numbers(self, method, path, body):
        """Retell's numbers, keyed by E.164: create (area_code), import (termination_uri), get, update, delete."""
        numbers = OBJECTS.setdefault("retell_numbers", {})
        e164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
        def agent_ok(field):
            return body.get(field) is None or body[field] in OBJECTS["retell_agent"]
        with LOCK:
            if path in ("/create-phone-number", "/import-phone-number") and method == "POST":
                if not agent_ok("inbound_agent_id"):
                    return self.reply(400, {"error_message": "inbound_agent_id not found"})
                if path == "/create-phone-number":
                    area = body.get("area_code")
                    if not isinstance(area, int) or not 200 <= area <= 999:
                        return self.reply(400, {"error_message": "area_code must be a 3 digit integer"})
                    number = "+1%d556%04d" % (area, len(numbers) + 100)  # apart from the fake VAPI's numbers
                    obj = {"phone_number": number, "phone_number_type": "retell-twilio", "area_code": area}
                else:
                    number = body.get("phone_number", "")
                    if not e164.match(number) or not body.get("termination_uri"):
                        return self.reply(400, {"error_message":
                                                "phone_number (E.164) and termination_uri are required"})
                    if ("sip_trunk_auth_username" in body) != ("sip_trunk_auth_password" in body):
                        return self.reply(400, {"error_message": "give both sip trunk username and password"})
                    obj = {"phone_number": number, "phone_number_type": "custom",
                           "sip_outbound_trunk_config": {"termination_uri": body["termination_uri"],
                                                         "auth_username": body.get("sip_trunk_auth_username")}}
                if number in numbers:
                    return self.reply(400, {"error_message": "phone number already exists"})
                obj.update(inbound_agent_id=body.get("inbound_agent_id"), outbound_agent_id=None,
                           nickname=body.get("nickname"), last_modification_timestamp=now_ms())
                numbers[number] = obj
                return self.reply(201, obj)
            match = re.fullmatch(r"/(get|update|delete)-phone-number/([^/]+)", path)
            if not match:
                return False
            verb, ident = match.group(1), unquote(match.group(2))
            if ident not in numbers:
                return self.reply(404, {"error_message": "phone number not found"})
            if verb == "get" and method == "GET":
                return self.reply(200, numbers[ident])
            if verb == "update" and method == "PATCH":
                if not agent_ok("inbound_agent_id"):
                    return self.reply(400, {"error_message": "inbound_agent_id not found"})
                numbers[ident].update(body)
                numbers[ident]["last_modification_timestamp"] = now_ms()
                return self.reply(200, numbers[ident])
            if verb == "delete" and method == "DELETE":
                numbers.pop(ident)
                return self.reply(204)
        return self.reply(405, {"error_message": "method not allowed"})

    def synthflow_numbers(self, method, path, body):
        """Synthflow's numbers by slug (get, delete; bought in its dashboard, seeded with /__numbers) and an
        assistant's attached numbers (PUT phone_number_slugs or phone_numbers, DELETE one slug)."""
        numbers = OBJECTS.setdefault("synthflow_numbers", {})
        with LOCK:
            if path == "/custom-numbers" and method == "POST":
                # POST /v2/custom-numbers: a SIP number imported into a Synthflow workspace; the answer has its key
                # and number, and its slug is the number without its "+".
                missing = [f for f in ("workspace_id", "phone_number") if not body.get(f)]
                if missing:
                    return self.reply(400, {"detail": {"status": 400, "description": "missing " + ",".join(missing)}})
                slug = body["phone_number"].lstrip("+")
                if slug in numbers:
                    return self.reply(400, {"detail": {"status": 400, "description": "phone number already exists"}})
                numbers[slug] = dict(body, slug=slug, key=str(uuid.uuid4()))
                return self.reply(200, {"status": "ok", "response": {"key": numbers[slug]["key"],
                                                                     "phone_number": body["phone_number"]}})
            match = re.fullmatch(r"/numbers/([^/]+)", path)
            if match:
                ident = unquote(match.group(1))
                if ident not in numbers:
                    return self.reply(404, {"detail": {"status": 404, "description": "phone number not found"}})
                if method == "GET":
                    return self.reply(200, {"status": "ok", "response": numbers[ident]})
                if method == "DELETE":
                    numbers.pop(ident)
                    return self.reply(200, {"status": "ok", "response": {}})
                return self.reply(405, {"detail": {"status": 405, "description": "method not allowed"}})
            match = re.fullmatch(r"/assistants/([^/]+)/phone_numbers(?:/([^/]+))?", path)
            model = unquote(match.group(1))
            if model not in OBJECTS["synthflow"]:
                return self.reply(404, {"detail": {"status": 404, "description": "assistant not found"}})
            attached = OBJECTS["synthflow"][model].setdefault("attached_phone_numbers", [])
            if match.group(2) is None and method == "PUT":
                slugs = body.get("phone_number_slugs") or [
                    s for s, n in numbers.items() if n.get("phone_number") in (body.get("phone_numbers") or [])]
                if not slugs or any(s not in numbers for s in slugs):
                    return self.reply(422, {"detail": {"status": 422, "description": "unknown phone numbers"}})
                for slug in slugs:
                    if all(a["slug"] != slug for a in attached):
                        attached.append({"number": numbers[slug].get("phone_number"), "slug": slug})
                return self.reply(200, {"status": "ok", "response": {"model_id": model}})
            if match.group(2) is not None and method == "DELETE":
                slug = unquote(match.group(2))
                if all(a["slug"] != slug for a in attached):
                    return self.reply(404, {"detail": {"status": 404, "description": "number not attached"}})
                attached[:] = [a for a in attached if a["slug"] != slug]
                return self.reply(200, {"status": "ok", "response": {"model_id": model}})
        return self.reply(405, {"detail": {"status": 405, "description": "method not allowed"}})

#Retell : LLMs and agents(create, get, update, delete, list, publish) and the account's concurrency.
    def route_retell(self, method, path, query, body):
        if path == "/v3/list-calls" and method == "POST":
            lower = body.get("filter_criteria", {}).get("start_timestamp", {})
            low = lower.get("value", 0) if lower.get("op") == "ge" else 0
            limit = body.get("limit", 50)
            with LOCK:
                calls = sorted((c for c in OBJECTS["retell_calls"] if c.get("start_timestamp", 0) >= low),
                               key=lambda c: (c.get("start_timestamp", 0), c["call_id"]))
            start = int(body.get("pagination_key") or 0)
            page = calls[start:start + limit]
            items = [{
k: v for k, v in c.items() if k not in ("transcript", "transcript_object")} for c in page]
            more = start + limit < len(calls)
            return self.reply(200, {
  "items" : items, "has_more" : more, "pagination_key" : str(start + limit) if more else None})
        match = re.fullmatch(r"/v2/get-call/([^/]+)", path)
        if match and method == "GET":
            with LOCK:
                found = [c for c in OBJECTS["retell_calls"] if c["call_id"] == match.group(1)]
            return self.reply(200, found[0]) if found else self.reply(404, {"error_message": "call not found"})
        if "phone-number" in path:
            answer = self.retell_numbers(method, path, body)
            if answer is not False:
                return answer
        if path == "/get-concurrency" and method == "GET":
            limit = DIAL.get("refuse_over") or 20
            return self.reply(200, {"current_concurrency": STATS["in_flight"], "concurrency_limit": limit,
                                    "base_concurrency": limit, "purchased_concurrency": 0})
        for kind, id_field, table in (("retell-llm", "llm_id", "retell_llm"), ("agent", "agent_id", "retell_agent")):
            objects = OBJECTS[table]
            with LOCK:
                if path == "/create-" + kind and method == "POST":
                    if kind == "agent" and ("response_engine" not in body or "voice_id" not in body):
                        return self.reply(400, {"error_message": "response_engine and voice_id are required"})
                    obj = dict(body, **{id_field: uuid.uuid4().hex, "version": 0,
                                        "last_modification_timestamp": now_ms(), "is_published": False})
                    objects[obj[id_field]] = obj
                    return self.reply(201, obj)
                match = re.fullmatch(r"/(get|update|delete)-" + kind + r"/([^/]+)", path)
                if match:
                    verb, ident = match.groups()
                    if ident not in objects:
                        return self.reply(404, {"error_message": "not found"})
                    if verb == "get" and method == "GET":
                        return self.reply(200, objects[ident])
                    if verb == "update" and method == "PATCH":
                        objects[ident].update(body)
                        objects[ident]["last_modification_timestamp"] = now_ms()
                        return self.reply(200, objects[ident])
                    if verb == "delete" and method == "DELETE":
                        objects.pop(ident)
                        return self.reply(204)
                match = re.fullmatch(r"/publish-agent-version/([^/]+)", path)
                if kind == "agent" and match and method == "POST":
                    agent = objects.get(match.group(1))
                    if agent is None:
                        return self.reply(404, {"error_message": "not found"})
                    if body.get("version") != agent["version"]:
                        return self.reply(400, {"error_message": "version %s is not the draft" % body.get("version")})
                    agent.setdefault("published_versions", []).append(agent["version"])
                    agent.update(is_published=True, version=agent["version"] + 1)
                    return self.reply(200, agent)
        with LOCK:
            if path == "/v2/list-retell-llms" and method == "GET":
                return self.reply(200, list(OBJECTS["retell_llm"].values()))
            if path == "/v2/list-agents" and method == "POST":
                return self.reply(200, list(OBJECTS["retell_agent"].values()))
        return self.reply(404, {"error_message": "no route " + method + " " + path})

#Synthflow : / assistants(POST create, GET list), / assistants / {model_id }(GET, PUT, DELETE); wrapped responses.
    def route_synthflow(self, method, path, query, body):
        if path == "/calls" and method == "GET":
            if "model_id" not in query:
                return self.reply(422, {"detail": {"status": 422, "description": "model_id is required"}})
            model = query["model_id"][0]
            low = int(query.get("from_date", ["0"])[0])
            limit = int(query.get("limit", ["20"])[0])
            offset = int(query.get("offset", ["0"])[0])
            with LOCK:
                calls = [c for c in OBJECTS["synthflow_calls"]
                         if c["model_id"] == model and int(c.get("start_time", "0")) >= low]
            calls.sort(key=lambda c: int(c.get("start_time", "0")), reverse=True)
            return self.reply(200, {"status": "ok", "response": {
                "calls": calls[offset:offset + limit],
                "pagination": {"total_records": len(calls), "limit": limit, "offset": offset}}})
        if path == "/custom-numbers" or path.startswith("/numbers/") or \
                re.fullmatch(r"/assistants/[^/]+/phone_numbers(/[^/]+)?", path):
            return self.synthflow_numbers(method, path, body)
        table = OBJECTS["synthflow"]
        match = re.fullmatch(r"/assistants/?(?:([^/]+))?", path)
        if not match:
            return self.reply(404, {"detail": {"status": 404, "description": "no route"}})
        ident = match.group(1)
        with LOCK:
            if ident is None and method == "GET":
                limit = int(query.get("limit", ["20"])[0])
                offset = int(query.get("offset", ["0"])[0])
                items = list(table.values())
                return self.reply(200, {"status": "ok", "response": {
                    "assistants": items[offset:offset + limit],
                    "pagination": {"total_records": len(items), "limit": limit, "offset": offset}}})
            if ident is None and method == "POST":
                missing = [f for f in ("type", "name", "agent") if f not in body]
                if missing:
                    return self.reply(422, {"detail": {"status": 422, "description": "missing " + ",".join(missing)}})
                obj = dict(body, model_id=str(uuid.uuid4()))
                table[obj["model_id"]] = obj
                return self.reply(200, {"status": "ok", "response": {"model_id": obj["model_id"]}})
            if ident not in table:
                return self.reply(404, {"detail": {"status": 404, "description": "assistant not found"}})
            if method == "GET":
                return self.reply(200, {"status": "ok", "response": {"assistants": [table[ident]]}})
            if method == "PUT":
                table[ident].update(body)
                return self.reply(200, {"status": "ok", "response": {"model_id": ident}})
            if method == "DELETE":
                table.pop(ident)
                return self.reply(200, {"status": "ok", "response": {}})
        return self.reply(405, {"detail": {"status": 405, "description": "method not allowed"}})

    def route_telegram(self, method, path, query, body):
        with LOCK:
            hook = OBJECTS.setdefault("telegram_webhook", {"url": "", "pending_update_count": 0})
            if path == "/setWebhook":
                hook.update({"url": body.get("url", ""), "secret_token": body.get("secret_token", ""),
                             "allowed_updates": body.get("allowed_updates", [])})
                hook.pop("last_error_message", None)
                return self.reply(200, {"ok": True, "result": True, "description": "Webhook was set"})
            if path == "/getWebhookInfo":
                info = {k: v for k, v in hook.items() if k != "secret_token"}
                return self.reply(200, {"ok": True, "result": info})
            if path == "/sendMessage":
                return self.send_message(body)
        return self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def send_message(self, body):
        """sendMessage: a fault of /__telegram/send_faults ({"times", "error_code", "retry_after", "description",
        "delay_ms"}) answers first; else the message is kept with its arrival time (ms) and gets the next message_id."""
        at = now_ms()
        faults = OBJECTS.setdefault("telegram_send_faults", [])
        while faults and faults[0].get("times", 1) <= 0:
            faults.pop(0)
        if faults:
            fault = faults[0]
            fault["times"] = fault.get("times", 1) - 1
            code = fault.get("error_code", 429)
            answer = {"ok": False, "error_code": code,
                      "description": fault.get("description", {429: "Too Many Requests: retry after %d" %
                                                               fault.get("retry_after", 1),
                                                               400: "Bad Request: chat not found",
                                                               403: "Forbidden: bot was blocked by the user"}.get(
                                                                   code, "Internal Server Error"))}
            if "retry_after" in fault:
                answer["parameters"] = {"retry_after": fault["retry_after"]}
            OBJECTS.setdefault("telegram_refused", []).append({"chat_id": body.get("chat_id"), "at": at,
                                                               "error_code": code})
            return self.reply(code, answer)
        messages = OBJECTS.setdefault("telegram_messages", [])
        message = {"message_id": len(messages) + 1, "chat_id": body.get("chat_id"), "text": body.get("text", ""),
                   "parse_mode": body.get("parse_mode"), "at": at}
        messages.append(message)
        return self.reply(200, {"ok": True, "result": {"message_id": message["message_id"], "date": at // 1000,
                                                       "chat": {"id": body.get("chat_id")},
                                                       "text": body.get("text", "")}})

#Stripe : POST /v1/checkout/sessions (form body; one session per Idempotency-Key), GET /v1/subscriptions/{id}.
    def route_stripe(self, method, path, query, body):
        with LOCK:
            sessions = OBJECTS.setdefault("stripe_sessions", {})
            if path == "/v1/checkout/sessions" and method == "POST":
                key = self.headers.get("Idempotency-Key") or str(uuid.uuid4())
                if key in sessions:
                    return self.reply(200, sessions[key])
                missing = [f for f in ("mode", "success_url", "line_items[0][price]") if not body.get(f)]
                if missing:
                    return self.reply(400, {"error": {"type": "invalid_request_error",
                                                      "message": "Missing required param: " + missing[0] + "."}})
                ident = "cs_test_" + uuid.uuid4().hex
                obj = {"id": ident, "object": "checkout.session", "mode": body["mode"],
                       "url": "https://checkout.stripe.com/c/pay/" + ident, "expires_at": int(time.time()) + 86400,
                       "client_reference_id": body.get("client_reference_id"), "customer": body.get("customer"),
                       "metadata": {k[9:-1]: v for k, v in body.items() if k.startswith("metadata[")},
                       "status": "open"}
                sessions[key] = obj
                return self.reply(200, obj)
            match = re.fullmatch(r"/v1/subscriptions/([^/]+)", path)
            if match and method == "GET":
                sub = OBJECTS.setdefault("stripe_subscriptions", {}).get(match.group(1))
                if sub is None:
                    return self.reply(404, {"error": {"type": "invalid_request_error",
                                                      "message": "No such subscription: '" + match.group(1) + "'"}})
                return self.reply(200, sub)
        return self.reply(404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")


def main():
    args = sys.argv[1:]
    while args:
        if args[0] == "--key" and len(args) > 1 and "=" in args[1]:
            provider, key = args[1].split("=", 1)
            KEYS[provider] = key
            args = args[2:]
        elif args[0] == "--latency-ms" and len(args) > 1:
            LATENCY[0] = int(args[1]) / 1000
            args = args[2:]
        else:
            sys.exit("usage: fake_providers.py [--key PROVIDER=KEY ...] [--latency-ms N]")
    ThreadingHTTPServer.request_queue_size = 1024  # a burst of creates is queued, not refused (the default is 5)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # a client killed mid-request is part of the tests
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
