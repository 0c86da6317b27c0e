#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for crashwatch's tests and benchmarks, in a folder of its own, on loopback.
#
#   Scripts/postgres-cluster.sh start DIR [PORT]   initdb (once) and start; prints the cluster's URL
#                                                   (CLUSTER_SSL=1: TLS on, with a self-signed certificate)
#   Scripts/postgres-cluster.sh stop DIR           stop it (the folder stays until you remove it)
#   Scripts/postgres-cluster.sh url DIR            print the URL of a cluster started before
#   Scripts/postgres-cluster.sh stop-after PID DIR stop it and remove DIR once process PID has ended (a test
#                                                   process that started its own cluster; run it in the background)
#
# PostgreSQL refuses to run as root: as root, the cluster runs as the system user crashwatch-pg (made if missing).
# The superuser is "crashwatch" with password "crashwatch"; connections are only accepted on 127.0.0.1.
set -euo pipefail

command="${1:?start, stop or url}"
dir="${2:?a folder for the cluster}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL's server is not installed (apt-get install postgresql)" >&2
    exit 3
fi

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u crashwatch-pg -- "$@"
    else
        "$@"
    fi
}

case "$command" in
start)
    port="${3:-}"
    if [ -z "$port" ]; then
        port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        id crashwatch-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin crashwatch-pg
        chown crashwatch-pg "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        printf 'crashwatch\n' > "$dir/password"
        [ "$(id -u)" -eq 0 ] && chown crashwatch-pg "$dir/password"
        as_owner "$bin/initdb" -D "$dir/data" -U crashwatch --pwfile="$dir/password" --auth=scram-sha-256 \
            -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    ssl_options=""
    if [ "${CLUSTER_SSL:-0}" = 1 ]; then
        if [ ! -f "$dir/server.crt" ]; then
            openssl req -new -x509 -days 2 -nodes -subj /CN=localhost -keyout "$dir/server.key" \
                -out "$dir/server.crt" >/dev/null 2>&1
            chmod 600 "$dir/server.key"
            [ "$(id -u)" -eq 0 ] && chown crashwatch-pg "$dir/server.key" "$dir/server.crt"
        fi
        ssl_options="-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
    fi
    echo "$port" > "$dir/port"
    [ "$(id -u)" -eq 0 ] && chown crashwatch-pg "$dir/port"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 $ssl_options" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://crashwatch:crashwatch@127.0.0.1:$port/postgres"
    ;;
stop)
    [ -f "$dir/data/PG_VERSION" ] || exit 0
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
stop-after)
    owner="$2"
    dir="${3:?a folder}"
    while kill -0 "$owner" 2>/dev/null; do sleep 1; done
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
url)
    echo "postgresql://crashwatch:crashwatch@127.0.0.1:$(cat "$dir/port")/postgres"
    ;;
*)
    echo "unknown command $command (start, stop, url)" >&2
    exit 2
    ;;
esac
