#!/usr/bin/env bash
# Takes a verified backup of OpenClaw's state with OpenClaw's own
# `openclaw backup create --verify` (which snapshots the SQLite databases
# safely: never copy the live files by hand), keeps the newest N archives
# and logs one line; with off-server backups set up, it also stores the
# archive there (openclaw-off-server.sh push). Installed on the host; run by
# openclaw-backup.timer, by the upgrade step before switching versions, and
# safe to run by hand.
# Environment: OPENCLAW_BACKUP_DIR (default ~/backups), OPENCLAW_BACKUP_KEEP (default 7).
set -euo pipefail

dir="${OPENCLAW_BACKUP_DIR:-${HOME}/backups}"
keep="${OPENCLAW_BACKUP_KEEP:-7}"
umask 077
install -d -m 0700 "$dir"
chmod 0700 "$dir"

result=$(openclaw backup create --verify --output "$dir" --json | sed -n '/^{/,$p')
archive=$(jq -r '.archivePath // empty' <<<"$result")
verified=$(jq -r '.verified // false' <<<"$result")
if [ -z "$archive" ] || [ ! -f "$archive" ] || [ "$verified" != "true" ]; then
  printf 'openclaw-backup: error: no verified archive was written\n' >&2
  exit 1
fi
chmod 0600 "$archive"

# Newest first; everything after the first $keep goes.
# Only archives named the way `openclaw backup create` names them.
mapfile -t archives < <(find "$dir" -maxdepth 1 -type f -regextype posix-extended \
  -regex '.*/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}\.[0-9]{3}[+-][0-9]{2}-[0-9]{2}-openclaw-backup\.tar\.gz' \
  -printf '%T@ %p\n' | sort -rn | cut -d' ' -f2-)
removed=0
for old in "${archives[@]:$keep}"; do
  rm -f -- "$old"
  removed=$((removed + 1))
done
size=$(du -h "$archive" | cut -f1)
printf 'openclaw-backup: %s (%s, verified), kept %s, removed %s\n' "$(basename "$archive")" "$size" "$((${#archives[@]} - removed))" "$removed"
if [ -f "${HOME}/.config/openclaw-infra/off-server/settings.json" ]; then
  "$(dirname "$0")/openclaw-off-server.sh" push "$archive"
fi
