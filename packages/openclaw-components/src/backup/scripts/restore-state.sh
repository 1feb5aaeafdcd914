#!/usr/bin/env bash
# Step "restore-state": on a server that has never held OpenClaw state (a new
# or a replaced one), restores the newest snapshot of the off-server
# repository before the gateway is configured, so every later step converges
# on the agent's own state rather than on an empty one. A server that holds
# state, or that this step has seen before, is never restored over: the step
# records the server's first state in ~/.config/openclaw-infra/state-held
# (outside ~/.openclaw, which a restore replaces) and then only reports it.
# Inputs (environment): OPENCLAW_OFF_SERVER_PROGRAM, OPENCLAW_RESTORE_PROGRAM,
# OPENCLAW_GATEWAY_PORT, and the off-server settings as install-backup-timer
# takes them (OPENCLAW_OFF_SERVER_SETTINGS, OPENCLAW_OFF_SERVER_SSH_CONFIG,
# OPENCLAW_OFF_SERVER_KNOWN_HOSTS).
# Stdin: the repository password on line 1, then the SFTP login key or the S3
# credentials file (as install-backup-timer's).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_OFF_SERVER_PROGRAM:?}" "${OPENCLAW_RESTORE_PROGRAM:?}" "${OPENCLAW_GATEWAY_PORT:?}"
: "${OPENCLAW_OFF_SERVER_SETTINGS:?}"

infra="${HOME}/.config/openclaw-infra"
held="${infra}/state-held"
lib="${HOME}/.local/lib/openclaw-infra"
record_held() {
  mkdir -p "$infra"
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" >"$held"
}
restore_newest() {
  install_text "${lib}/openclaw-off-server.sh" 0755 "$OPENCLAW_OFF_SERVER_PROGRAM" || true
  install_text "${lib}/openclaw-restore.sh" 0755 "$OPENCLAW_RESTORE_PROGRAM" || true
  "${lib}/openclaw-off-server.sh" login || fail "cannot set up the off-server repository's login (see above)"
  "${lib}/openclaw-off-server.sh" ensure || fail "the off-server repository cannot be used (see above)"
  local newest id
  newest=$("${lib}/openclaw-off-server.sh" latest) || fail "cannot list the off-server repository's snapshots (see above)"
  if [ "$newest" = "{}" ]; then
    record_held "new: the off-server repository held no snapshot"
    say "the off-server repository holds no snapshot yet: this server starts with empty state"
    return 0
  fi
  id=$(jq -r '.short_id' <<<"$newest")
  say "restoring snapshot ${id} of $(jq -r '.time' <<<"$newest"), the newest in the off-server repository"
  "${lib}/openclaw-restore.sh" --off-server "$id" "$OPENCLAW_GATEWAY_PORT" ||
    fail "restoring snapshot ${id} failed (see above); run the step again, or restore by hand: ${lib}/openclaw-restore.sh --off-server <snapshot>"
  record_held "restored from off-server snapshot ${id}"
  mark_changed
}

if [ -f "$held" ]; then
  say "this server has held OpenClaw state since $(cat "$held"): nothing to restore"
elif [ -f "${OPENCLAW_HOME}/openclaw.json" ]; then
  record_held "found on this server"
  say "this server holds OpenClaw state already: nothing restored"
else
  restore_newest
fi
finish
