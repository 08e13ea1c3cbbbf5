#!/usr/bin/env bash
# A PostgreSQL server for the tests, the bench and the queue example, on 127.0.0.1 only.
#   scripts/postgres.sh start       install PostgreSQL with apt if missing, init and start a
#                                   cluster, create the database; print its URL
#   scripts/postgres.sh stop        stop it (the cluster's files stay, for the next start)
#   scripts/postgres.sh url         print the URL
#   scripts/postgres.sh status      exit 0 if it runs
#   scripts/postgres.sh with CMD..  run CMD with HOMEBASE_TEST_POSTGRES_URL set, starting the
#                                   server first and stopping it after (even when CMD fails)
#                                   unless it was already running
# The server never runs as root: as root, it runs as the `postgres` OS user (which the Debian
# package creates). HOMEBASE_PG_PORT (default 55432) and HOMEBASE_PG_DIR (default
# /tmp/homebase-pg-PORT, outside the repo so the postgres user can reach it) move it.
set -euo pipefail

PORT="${HOMEBASE_PG_PORT:-55432}"
DIR="${HOMEBASE_PG_DIR:-/tmp/homebase-pg-$PORT}"
DATA="$DIR/data"
LOG="$DIR/server.log"
USER_NAME=homebase
PASSWORD=homebase
DB=homebase
URL="postgresql://$USER_NAME:$PASSWORD@127.0.0.1:$PORT/$DB"

bindir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$found" ] && command -v pg_ctl >/dev/null; then
    found="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
  fi
  echo "$found"
}

install_if_missing() {
  if [ -n "$(bindir)" ] && [ -x "$(bindir)/initdb" ]; then
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "postgres.sh: PostgreSQL is not installed and this is not root: apt-get install postgresql" >&2
    exit 1
  fi
  echo "postgres.sh: installing PostgreSQL with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
}

# Run a command as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [ -f "$DATA/postmaster.pid" ] && as_owner "$(bindir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
  install_if_missing
  local bin
  bin="$(bindir)"
  if running; then
    echo "$URL"
    return
  fi
  mkdir -p "$DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
  if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"
    # The superuser only over the cluster's own socket (trust); the tests' role over TCP
    # with a password, as an application connects.
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    # A throwaway test cluster: no fsync (a commit is still only returned once written, which
    # is what the journal's tests check; a power cut is not tested here).
    cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 300
fsync = off
full_page_writes = off
CONF
  fi
  as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null \
    || { tail -n 30 "$LOG" >&2; exit 1; }
  if ! as_owner "$bin/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'" | grep -q 1; then
    as_owner "$bin/psql" -q -h "$DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD'" \
      -c "CREATE DATABASE $DB OWNER $USER_NAME" >&2
  fi
  echo "$URL"
}

stop() {
  if running; then
    as_owner "$(bindir)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  status) running ;;
  with)
    shift
    was_running=0
    if running; then was_running=1; fi
    url="$(start)"
    status=0
    HOMEBASE_TEST_POSTGRES_URL="$url" "$@" || status=$?
    if [ "$was_running" = 0 ]; then stop; fi
    exit "$status"
    ;;
  *)
    echo "usage: $0 start|stop|url|status|with CMD..." >&2
    exit 2
    ;;
esac
