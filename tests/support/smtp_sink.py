#!/usr/bin/python3
"""A real SMTP server for wfa's mail tests (Debian's python3-aiosmtpd): STARTTLS required, AUTH required after it.

serve: smtp_sink.py serve --dir DIR --cert CERT --key KEY --user U --password P [--port N] [--reject ADDR]...
       [--tempfail ADDR]... [--hang ADDR]... [--delay SECONDS]
  Prints its port, then stores each message as DIR/<n>.eml (X-Sink-Mail-From and X-Sink-Rcpt-To headers first).
  --reject answers 550 at RCPT, --tempfail 451 at RCPT, --hang stores the message then never answers DATA.
read:  smtp_sink.py read DIR   prints a JSON array of the messages, headers decoded with Python's email package.
"""
import argparse
import asyncio
import email
import json
import os
import socket
import ssl
import sys
import threading
import time
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.args = args
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.args.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if address in self.args.tempfail:
            return "451 4.3.0 <%s>: try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.args.delay:
            await asyncio.sleep(self.args.delay)
        with self.lock:
            self.count += 1
            n = self.count
        head = "X-Sink-Mail-From: %s\r\nX-Sink-Rcpt-To: %s\r\n" % (envelope.mail_from, ",".join(envelope.rcpt_tos))
        data = head.encode() + envelope.original_content
        tmp = os.path.join(self.args.dir, ".%d-%d.tmp" % (os.getpid(), n))
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.args.dir, "%d-%06d.eml" % (os.getpid(), n)))
        if any(r in self.args.hang for r in envelope.rcpt_tos):
            await asyncio.sleep(3600)
        return "250 2.0.0 queued as %d" % n


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(args):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user and \
            auth_data.password.decode() == args.password
        return AuthResult(success=ok)

    port = args.port or free_port()
    controller = Controller(Handler(args), hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=authenticator, auth_required=True,
                            auth_require_tls=True, decode_data=False, data_size_limit=0)
    controller.start()
    print(port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def read(directory):
    out = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".eml"):
            continue
        with open(os.path.join(directory, name), "rb") as f:
            m = email.message_from_binary_file(f, policy=policy.default)
        plain = m.get_body(("plain",))
        html = m.get_body(("html",))
        out.append({
            "file": name,
            "mail_from": str(m["x-sink-mail-from"]),
            "rcpt_to": str(m["x-sink-rcpt-to"]),
            "from": str(m["from"]),
            "from_name": m["from"].addresses[0].display_name if m["from"] else "",
            "from_address": m["from"].addresses[0].addr_spec if m["from"] else "",
            "reply_to": str(m["reply-to"] or ""),
            "to": str(m["to"]),
            "subject": str(m["subject"]),
            "date": str(m["date"] or ""),
            "message_id": str(m["message-id"] or ""),
            "list_unsubscribe": str(m["list-unsubscribe"] or ""),
            "defects": len(m.defects),
            "text": plain.get_content() if plain else "",
            "html": html.get_content() if html else "",
        })
    print(json.dumps(out))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "read":
        read(sys.argv[2])
        return
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["serve"])
    p.add_argument("--dir", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--tempfail", action="append", default=[])
    p.add_argument("--hang", action="append", default=[])
    p.add_argument("--delay", type=float, default=0)
    serve(p.parse_args())


if __name__ == "__main__":
    main()
