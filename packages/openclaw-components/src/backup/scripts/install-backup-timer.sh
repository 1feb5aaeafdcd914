#!/usr/bin/env bash
# Step "install-backup-timer": installs the backup and restore programs and
# the systemd user service and timer that take a verified backup on a
# schedule, checks the schedule with systemd itself, and enables the timer.
# With off-server backups it also installs restic, writes what it needs to
# reach the repository (0600, in a 0700 directory), makes the repository if
# it does not exist and, while it holds no snapshot, takes the first one, so
# a wrong login fails this step rather than a night's backup. Without them
# it removes those files.
# Inputs (environment): OPENCLAW_BACKUP_PROGRAM, OPENCLAW_RESTORE_PROGRAM,
# OPENCLAW_OFF_SERVER_PROGRAM, OPENCLAW_BACKUP_SERVICE, OPENCLAW_BACKUP_TIMER,
# OPENCLAW_BACKUP_SCHEDULE; off-server: OPENCLAW_OFF_SERVER_SETTINGS (JSON,
# its .transport "sftp" or "s3"), and for SFTP OPENCLAW_OFF_SERVER_SSH_CONFIG
# and OPENCLAW_OFF_SERVER_KNOWN_HOSTS; each empty when unused.
# Stdin (off-server only): the repository password on line 1, then the SFTP
# login key (OpenSSH format) or the S3 credentials file (AWS's format).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_BACKUP_PROGRAM:?}" "${OPENCLAW_RESTORE_PROGRAM:?}" "${OPENCLAW_OFF_SERVER_PROGRAM:?}"
: "${OPENCLAW_BACKUP_SERVICE:?}"
: "${OPENCLAW_BACKUP_TIMER:?}" "${OPENCLAW_BACKUP_SCHEDULE:?}"
systemd-analyze calendar "$OPENCLAW_BACKUP_SCHEDULE" >/dev/null ||
  fail "backups.schedule '${OPENCLAW_BACKUP_SCHEDULE}' is not a systemd calendar expression (see: systemd-analyze calendar)"

lib="${HOME}/.local/lib/openclaw-infra"
units="${HOME}/.config/systemd/user"
install_text "${lib}/openclaw-backup.sh" 0755 "$OPENCLAW_BACKUP_PROGRAM" || true
install_text "${lib}/openclaw-restore.sh" 0755 "$OPENCLAW_RESTORE_PROGRAM" || true
install_text "${lib}/openclaw-off-server.sh" 0755 "$OPENCLAW_OFF_SERVER_PROGRAM" || true
reload=0
install_text "${units}/openclaw-backup.service" 0644 "$OPENCLAW_BACKUP_SERVICE" && reload=1
install_text "${units}/openclaw-backup.timer" 0644 "$OPENCLAW_BACKUP_TIMER" && reload=1
if [ "$reload" -eq 1 ]; then systemctl --user daemon-reload; fi
if ! systemctl --user is-enabled --quiet openclaw-backup.timer || ! systemctl --user is-active --quiet openclaw-backup.timer; then
  systemctl --user enable --now openclaw-backup.timer
  mark_changed
elif [ "$reload" -eq 1 ]; then
  systemctl --user restart openclaw-backup.timer
fi
say "backups: $(systemctl --user show openclaw-backup.timer --property=NextElapseUSecRealtime --value 2>/dev/null || echo scheduled)"

off="${HOME}/.config/openclaw-infra/off-server"
# The directory's files with their modes and contents' hashes: what `login` may change.
off_server_files() {
  if [ -d "$off" ]; then find "$off" -type f -printf '%f %m ' -exec sha256sum {} \; | sort; fi
}
if [ -n "${OPENCLAW_OFF_SERVER_SETTINGS:-}" ]; then
  # restic and the repository's login (stdin passes through to the program).
  had_restic=$(command -v restic || true)
  before=$(off_server_files)
  "${lib}/openclaw-off-server.sh" login || fail "cannot set up the off-server repository's login (see above)"
  if [ -z "$had_restic" ] || [ "$(off_server_files)" != "$before" ]; then mark_changed; fi
  "${lib}/openclaw-off-server.sh" ensure || fail "the off-server repository cannot be used (see above)"
  if [ "$("${lib}/openclaw-off-server.sh" latest)" = "{}" ]; then
    say "taking the first off-server backup"
    "${lib}/openclaw-backup.sh" || fail "the first off-server backup failed (see above)"
    mark_changed
  fi
  say "off-server: newest snapshot $("${lib}/openclaw-off-server.sh" latest | jq -r '.short_id + " of " + .time')"
elif [ -d "$off" ]; then
  say "off-server backups off: removing the repository's login and password from this host (the snapshots stay)"
  rm -rf -- "$off"
  mark_changed
fi
finish
