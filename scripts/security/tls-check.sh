#!/usr/bin/env bash
# Manual check of Picket's TLS listener: starts the built server (bin/picket.js) on 127.0.0.1
# with a throwaway self-signed certificate and runs testssl.sh against it. Without testssl
# (Debian: apt-get install testssl.sh), it probes a few protocols and suites with openssl.
#
# Usage: scripts/security/tls-check.sh [extra testssl options]
# Needs: npm run build:server, openssl. Writes nothing outside a temporary folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

PORT=0 HOST=127.0.0.1 PICKET_DATA_DIR="$work/data" \
  PICKET_TLS_CERT="$work/cert.pem" PICKET_TLS_KEY="$work/key.pem" \
  node "$root/bin/picket.js" serve >"$work/server.log" 2>&1 &
server_pid=$!

url=""
for _ in $(seq 1 100); do
  url="$(grep -o '"url":"https://[^"]*"' "$work/server.log" | head -n 1 | cut -d'"' -f4 || true)"
  [[ -n "$url" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "Picket exited before listening:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
if [[ -z "$url" ]]; then
  echo "Picket did not report an https URL within 20 s; log: $work/server.log" >&2
  exit 1
fi
hostport="${url#https://}"
echo "Picket listens on $url"

testssl_bin="$(command -v testssl || command -v testssl.sh || true)"
if [[ -n "$testssl_bin" ]]; then
  # -p protocols, -s standard cipher lists, -f forward secrecy, -h headers (HSTS, cookies).
  "$testssl_bin" --quiet --color 0 --warnings off -p -s -f -h "$@" "$url/_health"
  exit $?
fi

echo "testssl not installed (apt-get install testssl.sh); probing with openssl s_client instead."
status=0
probe() {
  local label="$1" expected="$2"
  shift 2
  if openssl s_client -connect "$hostport" "$@" </dev/null >/dev/null 2>&1; then
    result=accepted
  else
    result=rejected
  fi
  printf '%-40s %-9s (expected %s)\n' "$label" "$result" "$expected"
  [[ "$result" == "$expected" ]] || status=1
}
probe 'TLS 1.1' rejected -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
probe 'TLS 1.2 AES128-GCM-SHA256 (static RSA)' rejected -tls1_2 -cipher AES128-GCM-SHA256
probe 'TLS 1.2 ECDHE-RSA-AES128-SHA (CBC)' rejected -tls1_2 -cipher ECDHE-RSA-AES128-SHA
probe 'TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256' accepted -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
probe 'TLS 1.2 ECDHE-RSA-CHACHA20-POLY1305' accepted -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305
probe 'TLS 1.3' accepted -tls1_3
exit "$status"
