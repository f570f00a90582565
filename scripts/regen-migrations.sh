#!/usr/bin/env bash
# Regenerates the Initial migration for both databases from the current model.
# Until the first release, the schema is one Initial migration per database; after a release,
# replace this with `dotnet ef migrations add <Name>` per database instead.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf src/Nova.Firmware.Persistence/Migrations
for ctx in Sqlite Postgres; do
  dotnet ef migrations add Initial --project src/Nova.Firmware.Persistence --startup-project src/Nova.Firmware.Persistence \
    --context "${ctx}FirmwareDbContext" --output-dir "Migrations/${ctx}"
done
