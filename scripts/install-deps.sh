#!/usr/bin/env bash
# Installs the Debian 12 packages wfa builds and tests with; does nothing when all are present.
set -euo pipefail

packages=(
  ca-certificates git cmake make g++ pkg-config
  libcli11-dev libpqxx-dev libpq-dev libopencv-dev libjpeg62-turbo-dev libpng-dev libxlsxwriter-dev
  nlohmann-json3-dev libfmt-dev libgtest-dev libssl-dev libboost-dev libutf8proc-dev libcurl4-openssl-dev libidn2-dev libtomlplusplus-dev libexif-dev libphonenumber-dev libicu-dev
  libharfbuzz-dev libfribidi-dev libfontconfig-dev libsimdjson-dev
  postgresql-15 postgresql-client-15
  qpdf poppler-utils fonts-dejavu-core fonts-droid-fallback fonts-symbola groff-base ccache
  chromium chromium-driver python3-selenium
  python3-openpyxl python3-psycopg2
  libgmime-3.0-dev python3-aiosmtpd
)
packages+=("$@")

# The embedded cluster's server runs as this system account of wfa's alone when wfa runs as root (not Debian's
# shared postgres account, which could otherwise reach wfa's cluster as its superuser).
if [ "$(id -u)" -eq 0 ] && ! getent passwd wfa-postgres >/dev/null; then
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin wfa-postgres
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
