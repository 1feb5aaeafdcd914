#!/usr/bin/env bash
# Step "install-backup-timer": installs the backup and restore programs and
# the systemd user service and timer that take a verified backup on a
# schedule, checks the schedule with systemd itself, and enables the timer.
# Inputs (environment): OPENCLAW_BACKUP_PROGRAM, OPENCLAW_RESTORE_PROGRAM,
# OPENCLAW_BACKUP_SERVICE, OPENCLAW_BACKUP_TIMER, OPENCLAW_BACKUP_SCHEDULE.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_BACKUP_PROGRAM:?}" "${OPENCLAW_RESTORE_PROGRAM:?}" "${OPENCLAW_BACKUP_SERVICE:?}"
: "${OPENCLAW_BACKUP_TIMER:?}" "${OPENCLAW_BACKUP_SCHEDULE:?}"
systemd-analyze calendar "$OPENCLAW_BACKUP_SCHEDULE" >/dev/null ||
  fail "backups.schedule '${OPENCLAW_BACKUP_SCHEDULE}' is not a systemd calendar expression (see: systemd-analyze calendar)"

lib="${HOME}/.local/lib/openclaw-infra"
units="${HOME}/.config/systemd/user"
install_text "${lib}/openclaw-backup.sh" 0755 "$OPENCLAW_BACKUP_PROGRAM" || true
install_text "${lib}/openclaw-restore.sh" 0755 "$OPENCLAW_RESTORE_PROGRAM" || true
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
finish
