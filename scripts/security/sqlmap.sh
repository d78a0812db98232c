#!/usr/bin/env bash
# Runs sqlmap (--level 3 --risk 2) over the API parameters listed below, against a Picket it
# starts on 127.0.0.1 with a throwaway data folder. Exits non-zero when sqlmap reports any
# parameter as injectable. Slow (minutes per URL), so it is not part of `npm test`.
#
# Needs: sqlmap (apt-get install -y --no-install-recommends sqlmap) and a build (npm run build).
# Usage: scripts/security/sqlmap.sh [extra sqlmap options]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
PORT="${PICKET_SQLMAP_PORT:-18931}"
BASE="http://127.0.0.1:${PORT}"
PICKET="node ${ROOT}/bin/picket.js"
export PICKET_DATA_DIR="${WORK}/data" HOST=127.0.0.1 PORT LOG_LEVEL=warn
unset DATABASE_URL

command -v sqlmap >/dev/null || { echo "sqlmap not found: apt-get install -y --no-install-recommends sqlmap" >&2; exit 2; }

cleanup() {
  if [[ -n "${SERVER_PID:-}" ]]; then kill "${SERVER_PID}" 2>/dev/null || true; wait "${SERVER_PID}" 2>/dev/null || true; fi
  rm -rf "${WORK}"
}
trap cleanup EXIT

EMAIL="sqlmap@example.com"
printf 'sqlmap-password-123\n' | ${PICKET} createuser --email "${EMAIL}" --password-stdin >/dev/null
TOKEN="$(${PICKET} token create --user "${EMAIL}" --scopes org:read,org:write,team:write,project:read,project:write,project:admin,project:releases,event:read,event:write,event:admin | tail -n 1)"

${PICKET} serve >"${WORK}/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "${BASE}/api/0/" >/dev/null && break
  sleep 0.2
done

api() { curl -sf -H "Authorization: Bearer ${TOKEN}" -H 'content-type: application/json' "$@"; }
api -X POST "${BASE}/api/0/organizations/" -d '{"name":"Sql","slug":"sql"}' >/dev/null
PROJECT_ID="$(api -X POST "${BASE}/api/0/teams/sql/sql/projects/" -d '{"name":"Web","slug":"web","platform":"javascript"}' | sed -E 's/.*"id":"?([0-9]+)"?.*/\1/')"
KEY="$(api "${BASE}/api/0/projects/sql/web/keys/" | sed -E 's/.*"public":"([0-9a-f]+)".*/\1/')"
EVENT_ID="0123456789abcdef0123456789abcdef"
curl -sf -X POST "${BASE}/api/${PROJECT_ID}/store/?sentry_key=${KEY}&sentry_version=7" \
  -d "{\"event_id\":\"${EVENT_ID}\",\"message\":\"sqlmap seed\",\"platform\":\"javascript\",\"tags\":{\"area\":\"x\"}}" >/dev/null
api -X POST "${BASE}/api/0/organizations/sql/releases/" -d '{"version":"1.0.0","projects":["web"]}' >/dev/null
sleep 2
ISSUE_ID="$(api "${BASE}/api/0/projects/sql/web/issues/" | sed -E 's/^\[\{"id":"?([0-9]+)"?.*/\1/')"

# The parameters under test. `*` marks an injection point in the path.
URLS=(
  "${BASE}/api/0/organizations/sql/issues/?query=is%3Aunresolved&statsPeriod=14d&sort=date&cursor=0%3A0%3A0&environment=production&project=${PROJECT_ID}"
  "${BASE}/api/0/projects/sql/web/issues/?query=area%3Ax&statsPeriod=24h&cursor=0%3A0%3A0"
  "${BASE}/api/0/organizations/sql/issues/${ISSUE_ID}/events/?query=message%3Aseed&full=true"
  "${BASE}/api/0/organizations/sql/issues/${ISSUE_ID}/tags/area/values/?query=x"
  "${BASE}/api/0/organizations/sql/eventids/${EVENT_ID}*/"
  "${BASE}/api/0/projects/sql/web/events/${EVENT_ID}*/"
  "${BASE}/api/0/organizations/sql/releases/?query=1.0&statsPeriod=24h&project=${PROJECT_ID}"
  "${BASE}/api/0/organizations/sql/releases/1.0.0*/"
  "${BASE}/api/0/organizations/sql/stats_v2/?field=sum(quantity)&groupBy=outcome&statsPeriod=1d&category=error"
  "${BASE}/api/0/organizations/sql/logs/?query=seed&statsPeriod=24h"
  "${BASE}/api/0/organizations/sql/transactions/?query=x&statsPeriod=24h"
  "${BASE}/api/0/organizations/sql/members/?query=sql"
  "${BASE}/api/0/organizations/sql/environments/?visibility=visible"
)

FOUND=0
for url in "${URLS[@]}"; do
  echo "== ${url}"
  out="$(sqlmap --batch --level 3 --risk 2 --threads 4 --flush-session \
    --output-dir "${WORK}/sqlmap" -H "Authorization: Bearer ${TOKEN}" -u "${url}" "$@" 2>&1 || true)"
  echo "${out}" | grep -E "is vulnerable|injectable|all tested parameters|WARNING|CRITICAL" | sort -u || true
  if echo "${out}" | grep -qE "Parameter: .* is vulnerable|sqlmap identified the following injection point"; then
    FOUND=$((FOUND + 1))
  fi
done

if grep -q '"level":5[0-9]' "${WORK}/server.log"; then
  echo "server errors during the run:"; grep '"level":5[0-9]' "${WORK}/server.log" | head -5
fi
echo "sqlmap: ${FOUND} of ${#URLS[@]} URLs with an injectable parameter"
[[ "${FOUND}" -eq 0 ]]
