#!/usr/bin/env bash
# The production install from the README, tried on a copy of this tree (what git would commit):
#
#   npm ci && npm run build && npm prune --omit=dev && npm start
#
# then checks that no build or test tool is left in node_modules, that the server answers
# /healthz and the home page, and that `npm run migrate`, `npm run backup` and `npm run db:copy`
# (as far as reading the SQLite file and asking PostgreSQL, which is not there) work without them.
# With CHECK_POSTGRES_URL (a superuser's URL; .ci/run passes its own cluster's) it then copies
# that SQLite file into a new PostgreSQL database with `npm run db:copy` and runs `npm start` on it.
# .ci/run calls it after the tests; run it by hand with `bash scripts/check-production.sh`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/join-in-production-XXXXXX")
pid=''
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "${pgdb:-}" ] && (cd "$work" && sql "drop database if exists $pgdb with (force)") >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Tracked and new (not ignored) files: no node_modules, no build, no database.
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$work"
cd "$work"
npm ci --no-audit --no-fund --loglevel=error
npm run build >build.log 2>&1 || { cat build.log; exit 1; }
npm prune --omit=dev --no-audit --no-fund --loglevel=error

for tool in tsx vite esbuild rollup @react-router/dev @react-router/fs-routes vitest playwright-core sass eslint; do
  if [ -e "node_modules/$tool" ]; then
    echo "FAIL: the build or test tool '$tool' is still installed after npm prune --omit=dev" >&2
    exit 1
  fi
done
# npm keeps typescript: @react-router/node and @react-router/express name it as an optional peer,
# so the lockfile marks it devOptional, which --omit=dev leaves. Nothing loads it at run time:
# the checks below run with it moved out of reach.
[ -e node_modules/typescript ] && mv node_modules/typescript "$work/typescript-kept-by-npm"

# PUBLIC_URL and SECRET_KEY are required in production; no link is followed here, so any address will do.
export DATABASE_URL="$work/data/join-in.sqlite" PORT=0 HOST=127.0.0.1 SECURE_COOKIES=false PUBLIC_URL=http://127.0.0.1
export SECRET_KEY='check-production secret key, not for real use'
npm run migrate
start() {
  npm start >start.log 2>&1 &
  pid=$!
  url=''
  for _ in $(seq 1 120); do
    url=$(grep -o 'running at http://[^ ]*' start.log | sed 's/^running at //' || true)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { cat start.log; echo 'FAIL: npm start exited' >&2; exit 1; }
    sleep 0.5
  done
  [ -n "$url" ] || { cat start.log; echo 'FAIL: npm start did not report its address in 60 s' >&2; exit 1; }
  if grep -q 'building once' start.log; then echo 'FAIL: npm start rebuilt although a build exists' >&2; exit 1; fi
}
get() { node -e 'fetch(process.argv[1]).then(async (r) => { process.stdout.write(await r.text()); process.exit(r.ok ? 0 : 1) })' "$1"; }
answers() {
  health=$(get "$url/healthz")
  echo "$health" | grep -q '"ok"' || { echo "FAIL: /healthz said: $health" >&2; exit 1; }
  get "$url/" | grep -q '<h1' || { echo 'FAIL: the home page did not render' >&2; exit 1; }
}
start
answers
npm run backup -- --dir "$work/backups" --keep 1 | grep -q 'Backed up'
copy=$(npm run --silent db:copy -- --from "$DATABASE_URL" --to postgres://join-in@127.0.0.1:1/none 2>&1 || true)
echo "$copy" | grep -q 'Could not use PostgreSQL 127.0.0.1:1/none' || { echo "FAIL: npm run db:copy said: $copy" >&2; exit 1; }

if [ -n "${CHECK_POSTGRES_URL:-}" ]; then
  # pg is a runtime dependency, so it is here after the prune; psql need not be.
  sql() { node -e 'const pg = require("pg"); const c = new pg.Client(process.argv[1]); c.connect().then(() => c.query(process.argv[2])).then(() => c.end(), (e) => { console.error(e.message); process.exit(1) })' "$CHECK_POSTGRES_URL" "$1"; }
  pgdb="join_in_check_$$"
  sql "create database $pgdb template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'"
  pgurl=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$CHECK_POSTGRES_URL" "$pgdb")
  kill "$pid" && wait "$pid" 2>/dev/null || true
  pid=''
  npm run --silent db:copy -- --from "$DATABASE_URL" --to "$pgurl" | tail -n 1
  export DATABASE_URL="$pgurl"
  npm run migrate
  start
  answers
  grep -q 'collation' start.log && { cat start.log; echo 'FAIL: the PostgreSQL database was made C.UTF-8 yet the service warns' >&2; exit 1; }
  echo "production install on PostgreSQL: ok (db:copy, migrate, start)"
fi
echo "production install: ok ($(du -sh node_modules | cut -f1) of node_modules, $(ls node_modules | wc -l) top-level packages)"
