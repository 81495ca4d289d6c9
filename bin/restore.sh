#!/usr/bin/env bash
# Restore a dump made by bin/backup.sh into a NEW database of the same server, never over the one the
# portal uses: check it, then point DATABASE_URL at it (or rename it) when satisfied.
#
#   bin/restore.sh var/backups/ccportal-20270101T000000Z.dump ccportal_restored
#
# The server is the one of DATABASE_URL (default: the local PostgreSQL on 127.0.0.1:5432). Refuses a
# target database that already exists.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 DUMP_FILE TARGET_DATABASE" >&2
    exit 2
fi
dump="$1"
target="$2"
[ -f "$dump" ] || { echo "No such dump: $dump" >&2; exit 2; }
case "$target" in
    *[!A-Za-z0-9_]*|"") echo "Database names here are letters, digits and _ only: $target" >&2; exit 2;;
esac

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ccportal}"
server="${DATABASE_URL%/*}"
maintenance="$server/postgres"

exists="$(psql --dbname="$maintenance" -tAc "SELECT 1 FROM pg_database WHERE datname = '$target'")"
if [ "$exists" = 1 ]; then
    echo "The database $target exists already; choose another name (nothing was changed)." >&2
    exit 1
fi
psql --dbname="$maintenance" -q -c "CREATE DATABASE \"$target\""
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$server/$target" "$dump"
echo "Restored $dump into $target."
