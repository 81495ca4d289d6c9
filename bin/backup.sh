#!/usr/bin/env bash
# Dump the portal's database into var/backups/ (pg_dump's custom format: compressed, restored with
# pg_restore, table by table). Prints the path of the dump.
#
#   bin/backup.sh                      the database of DATABASE_URL (default: the local ccportal)
#   BACKUP_DIR=/srv/backups bin/backup.sh
#
# The dump is written under a temporary name and renamed when complete, so a file named *.dump is
# always a whole one.
set -euo pipefail

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ccportal}"
BACKUP_DIR="${BACKUP_DIR:-var/backups}"

database="${DATABASE_URL##*/}"
database="${database%%\?*}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
target="$BACKUP_DIR/$database-$stamp.dump"

pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$target.partial"
mv "$target.partial" "$target"
echo "$target"
