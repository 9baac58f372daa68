#!/usr/bin/env bash
# Benchmark of the mail outbox (issue 30): MESSAGES queued messages flushed by `wfa mail flush` to a loopback SMTP
# server (tests/support/smtp_sink.py: aiosmtpd, STARTTLS, AUTH, each message written to a file), beside the server's
# own ceiling: Python's smtplib sending the same messages over one reused connection to a second, identical server.
# Usage: tests/bench/mail.sh
# Environment: WFA (binary, default build/wfa), MESSAGES (default 10000).
# Last line: MAIL sent=N per_s=R sink_per_s=S ratio=R/S dup=D lost=L (target: ratio >= 0.8, dup=0, lost=0).
set -euo pipefail
cd "$(dirname "$0")/../.."
wfa=$(realpath "${WFA:-build/wfa}")
messages=${MESSAGES:-10000}
work=$(mktemp -d /tmp/wfa-bench-mail.XXXXXX)
chmod 755 "$work"
export WFA_DATA_DIR=$work/data
sinks=()
cleanup() {
  for pid in "${sinks[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$wfa" db stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null
# start_sink DIR: a sink storing into DIR; sets port.
start_sink() {
  mkdir -p "$1"
  local fifo=$work/fifo.$RANDOM
  mkfifo "$fifo"
  /usr/bin/python3 tests/support/smtp_sink.py serve --dir "$1" --cert "$work/cert.pem" --key "$work/key.pem" \
    --user bench --password bench-secret >"$fifo" &
  sinks+=($!)
  read -r port <"$fifo"
  rm -f "$fifo"
}
export WFA_QUIET=1
sql() { "$wfa" db psql -- -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# Untimed: one real message (a partner request's notice to the super admin), copied MESSAGES - 1 times with keys
# of their own, so each has its own Message-ID and VERP address.
"$wfa" db migrate >/dev/null
sql -c "INSERT INTO users (email) VALUES ('boss@bench.example');
  INSERT INTO super_admins (user_id, granted_by) SELECT id, 'bench' FROM users"
"$wfa" partner request submit --company Bench --contact-name Bea --contact-email bea@bench.example \
  --subdomain bench >/dev/null
sql -c "INSERT INTO mail_outbox (message_key, template, subject, envelope_from, recipient, message, give_up_at)
  SELECT 'bench' || lpad(g::text, 8, '0'), o.template, o.subject,
         replace(o.envelope_from, o.message_key, 'bench' || lpad(g::text, 8, '0')), o.recipient,
         replace(o.message, o.message_key, 'bench' || lpad(g::text, 8, '0')), o.give_up_at
  FROM mail_outbox o, generate_series(2, $messages) g"
mkdir -p "$work/messages"
sql -c "COPY (SELECT message_key, envelope_from, recipient FROM mail_outbox) TO STDOUT" >"$work/envelopes.tsv"
sql -c "SELECT message FROM mail_outbox LIMIT 1" >"$work/sample.eml"

# The server's ceiling: smtplib, one connection, the same messages (the one sample with each key swapped in).
start_sink "$work/ceiling"
sink_per_s=$(/usr/bin/python3 - "$port" "$work" <<'PY'
import smtplib, ssl, sys, time
port, work = int(sys.argv[1]), sys.argv[2]
sample = open(work + "/sample.eml", "rb").read().rstrip(b"\n").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b"\r\n"
rows = [line.rstrip("\n").split("\t") for line in open(work + "/envelopes.tsv")]
first = rows[0][0].encode()
ctx = ssl.create_default_context(cafile=work + "/cert.pem")
start = time.monotonic()
s = smtplib.SMTP("127.0.0.1", port)
s.starttls(context=ctx)
s.login("bench", "bench-secret")
for key, sender, rcpt in rows:
    s.sendmail(sender, [rcpt], sample.replace(first, key.encode()))
s.quit()
print("%.1f" % (len(rows) / (time.monotonic() - start)))
PY
)

# wfa: one flush of every queued message.
start_sink "$work/received"
export WFA_SMTP_HOST=127.0.0.1 WFA_SMTP_PORT=$port WFA_SMTP_USER=bench WFA_SMTP_CA_FILE=$work/cert.pem
echo bench-secret >"$work/password"
export WFA_SMTP_PASSWORD_FILE=$work/password
start=$(date +%s.%N)
${FLUSH_WRAP:-} "$wfa" mail flush >/dev/null || true
seconds=$(echo "$(date +%s.%N) - $start" | bc)
sent=$(sql -c "SELECT count(*) FROM mail_outbox WHERE status = 'sent'")
per_s=$(echo "scale=1; $sent / $seconds" | bc)
read -r received distinct < <(/usr/bin/python3 - "$work/received" <<'PY'
import os, re, sys
ids = []
for name in os.listdir(sys.argv[1]):
    if name.endswith(".eml"):
        m = re.search(rb"(?im)^message-id:\s*(<[^>]+>)", open(os.path.join(sys.argv[1], name), "rb").read())
        ids.append(m.group(1) if m else name.encode())
print(len(ids), len(set(ids)))
PY
)
dup=$((received - distinct))
lost=$((messages - distinct))
ratio=$(echo "scale=2; $per_s / $sink_per_s" | bc)
echo "wfa mail flush: $sent sent in ${seconds}s ($per_s/s); smtplib over one connection: $sink_per_s/s"
echo "MAIL sent=$sent per_s=$per_s sink_per_s=$sink_per_s ratio=$ratio dup=$dup lost=$lost"
