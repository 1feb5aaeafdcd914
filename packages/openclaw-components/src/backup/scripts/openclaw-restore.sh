#!/usr/bin/env bash
# Restores an archive made by openclaw-backup.sh into this host's OpenClaw:
# stops the gateway, unpacks the archive with OpenClaw's own
# `openclaw backup restore` into a fresh staging directory, moves each
# current state directory aside (…pre-restore-<time>) and the restored one
# into its place, restarts the gateway and waits until it is ready (on a
# server whose gateway is not installed yet, it starts nothing).
# Usage: openclaw-restore.sh <archive.tar.gz> [gateway port, default 18789]
#        openclaw-restore.sh --off-server [snapshot, default latest] [port]
#        (the archive in an off-server snapshot, fetched by openclaw-off-server.sh)
set -euo pipefail

fetched=""
if [ "${1:-}" = "--off-server" ]; then
  snapshot="${2:-latest}"
  port="${3:-18789}"
  fetched=$(mktemp -d)
  archive="${fetched}/openclaw-state.tar.gz"
  "$(dirname "$0")/openclaw-off-server.sh" fetch "$snapshot" "$archive" || {
    rm -rf "$fetched"
    exit 1
  }
else
  archive="${1:?usage: openclaw-restore.sh <archive.tar.gz> [port] | --off-server [snapshot] [port]}"
  port="${2:-18789}"
fi
XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}"
export XDG_RUNTIME_DIR
log() { printf 'openclaw-restore: %s\n' "$*"; }
die() {
  printf 'openclaw-restore: error: %s\n' "$*" >&2
  exit 1
}

[ -f "$archive" ] || die "no archive at ${archive}"
# OpenClaw refuses to run at all on a state database newer than it knows
# (going back a release, or a rolled-back upgrade whose new release migrated
# it). Unpacking an archive needs none of the live state: OpenClaw reads and
# unpacks it with an empty state directory of its own, so an older release
# can still restore the archive it made.
scratch=$(mktemp -d)
oc_archive() { OPENCLAW_STATE_DIR="$scratch" openclaw backup "$@"; }
stamp=$(date -u +%Y%m%dT%H%M%SZ)
staging=$(mktemp -d "${HOME}/.openclaw-restore.XXXXXX")
stopped=0 moved=0
# A failure before any state was moved leaves the gateway as it was: running.
on_exit() {
  local rc=$?
  rm -rf "$staging" "$scratch" ${fetched:+"$fetched"}
  if [ "$rc" -ne 0 ] && [ "$stopped" -eq 1 ] && [ "$moved" -eq 0 ]; then
    systemctl --user start openclaw-gateway.service || true
  fi
}
trap on_exit EXIT
oc_archive verify "$archive" >/dev/null || die "${archive} does not verify"
rmdir "$staging" # restore wants a fresh target

log "stopping the gateway"
systemctl --user stop openclaw-gateway.service || true
stopped=1
restored=$(oc_archive restore "$archive" --target "$staging" --json | sed -n '/^{/,$p')
# OpenClaw's own warnings (time travel, channels to relink) are for the operator.
jq -r '.warnings[]? | "openclaw-restore: note: " + .' <<<"$restored"
manifest=$(find "$staging" -mindepth 2 -maxdepth 2 -name manifest.json | head -n 1)
[ -n "$manifest" ] || die "the restored archive has no manifest"

restored_sources=()
# Outer directories first: an asset inside one already restored came with it.
while IFS=$'\t' read -r source staged; do
  for done_source in "${restored_sources[@]}"; do
    if [[ "$source" == "${done_source}/"* ]]; then
      log "${source} came with ${done_source}"
      continue 2
    fi
  done
  [ -e "${staging}/${staged}" ] || die "the archive lacks ${staged}"
  moved=1
  if [ -e "$source" ]; then
    mv -- "$source" "${source}.pre-restore-${stamp}"
    log "moved the current ${source} to ${source}.pre-restore-${stamp}"
  fi
  mkdir -p "$(dirname "$source")"
  mv -- "${staging}/${staged}" "$source"
  restored_sources+=("$source")
  log "restored ${source}"
done < <(jq -r '.assets | sort_by(.sourcePath | length) | .[] | [.sourcePath, .archivePath] | @tsv' "$manifest")

chmod 0700 "${HOME}/.openclaw" 2>/dev/null || true
chmod 0600 "${HOME}/.openclaw/openclaw.json" 2>/dev/null || true
# On a new server, restore-state runs before the gateway is installed: the
# steps after it configure and start it.
if [ "$(systemctl --user show openclaw-gateway.service --property=LoadState --value 2>/dev/null || true)" != loaded ]; then
  log "restored from $(basename "$archive"); the gateway is not installed yet, so not started"
  exit 0
fi
log "starting the gateway"
systemctl --user start openclaw-gateway.service
waited=0
until curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:${port}/readyz"; do
  [ "$waited" -lt 180 ] || die "the gateway did not become ready within 180 s (journalctl --user -u openclaw-gateway)"
  sleep 2
  waited=$((waited + 2))
done
log "restored from $(basename "$archive"); gateway ready after ${waited}s"
