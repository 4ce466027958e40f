#!/usr/bin/env bash
# Starts PostgreSQL and ClickHouse (Debian packages) on 127.0.0.1 for the integration suite, in
# throw-away folders, and prints the environment the suite reads:
#   eval "$(bash scripts/ci-services.sh)"
# Installs the packages first when they are missing (needs root and apt, as on CI machines).
set -euo pipefail
PG_PORT=${PG_PORT:-15432}
CH_PORT=${CH_PORT:-18123}
log() { echo "ci-services: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v clickhouse-server >/dev/null 2>&1; then
  log "installing postgresql and clickhouse-server"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql clickhouse-server clickhouse-client >&2
fi

# PostgreSQL refuses to run as root: initdb and the server run as the postgres user.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_DIR=$(mktemp -d /tmp/ruleatlas-pg.XXXXXX)
chown postgres "$PG_DIR"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U ruleatlas >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
log "postgresql on 127.0.0.1:$PG_PORT"

CH_DIR=$(mktemp -d /tmp/ruleatlas-ch.XXXXXX)
cat > "$CH_DIR/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$CH_DIR/server.log</log><errorlog>$CH_DIR/error.log</errorlog></logger>
  <http_port>$CH_PORT</http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$CH_DIR/data/</path>
  <tmp_path>$CH_DIR/tmp/</tmp_path>
  <user_files_path>$CH_DIR/user_files/</user_files_path>
  <format_schema_path>$CH_DIR/format_schemas/</format_schema_path>
  <users_config>$CH_DIR/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>536870912</mark_cache_size>
</yandex>
XML
cat > "$CH_DIR/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><max_query_size>10000000</max_query_size></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
nohup clickhouse-server --config-file="$CH_DIR/config.xml" >"$CH_DIR/stdout.log" 2>&1 &
for _ in $(seq 1 60); do
  if curl -sf "http://127.0.0.1:$CH_PORT/?query=SELECT%201" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$CH_PORT/?query=SELECT%20version()" >/dev/null || { log "clickhouse did not start"; cat "$CH_DIR/stdout.log" >&2; exit 1; }
log "clickhouse $(curl -s "http://127.0.0.1:$CH_PORT/?query=SELECT%20version()") on 127.0.0.1:$CH_PORT"

echo "export RULEATLAS_PG_URL=postgres://ruleatlas@127.0.0.1:$PG_PORT/postgres"
echo "export RULEATLAS_CLICKHOUSE_URL=http://127.0.0.1:$CH_PORT/"
