#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, for tests and trials of `--database`.
#
#   scripts/postgres-cluster.sh start    starts one in a new directory under /tmp and prints that
#                                        directory; its URL is in DIR/url
#   scripts/postgres-cluster.sh stop DIR stops it and removes DIR
#
# Needs Debian's postgresql package (`apt-get install -y postgresql`). initdb and pg_ctl refuse to
# run as root, so as root they run as the postgres user. The cluster trusts local connections:
# it is for tests, never for data that matters.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/optgate-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$((20000 + RANDOM % 20000))
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres" > "$dir/url"
    echo "$dir"
    ;;
  stop)
    dir=${2:?usage: $0 stop DIR}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
