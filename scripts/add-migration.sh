#!/usr/bin/env bash
# Adds one migration, with the same name, for both databases from the current model:
#   scripts/add-migration.sh PackageSignatureCheck
# Databases made by landed versions exist, so the schema only moves forward: never regenerate or
# edit a migration that has landed; add a new one. Review the generated Up(): a new non-null column
# needs a default that existing rows can honestly carry.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/add-migration.sh <MigrationName>}"
dotnet tool restore >/dev/null
for ctx in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project src/Nova.Firmware.Persistence --startup-project src/Nova.Firmware.Persistence \
    --context "${ctx}FirmwareDbContext" --output-dir "Migrations/${ctx}"
done
