#!/usr/bin/env bash
# Writes a new migration: the SQL that takes the committed migrations to the schema (prisma/schema/).
# (`prisma migrate dev` needs a shadow database factory that the WASM engine does not always
# accept; `migrate diff --from-migrations` uses the config's shadow database and always works.)
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: migration:new <name>}"
sql="$(prisma migrate diff --from-migrations prisma/migrations --to-schema-datamodel prisma/schema --script)"
# Without the drop-and-create of the indexes the engine cannot read back (src/schema-diff.ts).
sql="$(node --import tsx scripts/without-unreadable-indexes.ts <<<"$sql")"
if ! grep -qvE '^(--.*)?$' <<<"$sql"; then
  echo "the schema and the migrations already agree: nothing to write" >&2
  exit 1
fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
printf '%s\n' "$sql" > "$dir/migration.sql"
echo "wrote $dir/migration.sql"
