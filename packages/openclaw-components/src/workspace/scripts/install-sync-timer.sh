#!/usr/bin/env bash
# Step "install-sync-timer": installs the workspace sync program and its
# systemd user service and timer, enables the timer, and runs a first sync.
# The first push is best-effort: it fails until the deploy key is added to the
# repository, and the step says so instead of failing.
# Inputs (environment): OPENCLAW_SYNC_SCRIPT, OPENCLAW_SYNC_SERVICE, OPENCLAW_SYNC_TIMER.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_SYNC_SCRIPT:?}" "${OPENCLAW_SYNC_SERVICE:?}" "${OPENCLAW_SYNC_TIMER:?}"
program="${HOME}/.local/lib/openclaw-infra/workspace-sync.sh"
units="${HOME}/.config/systemd/user"

install_text "$program" 0755 "$OPENCLAW_SYNC_SCRIPT" || true
reload=0
install_text "${units}/openclaw-workspace-sync.service" 0644 "$OPENCLAW_SYNC_SERVICE" && reload=1
install_text "${units}/openclaw-workspace-sync.timer" 0644 "$OPENCLAW_SYNC_TIMER" && reload=1
if [ "$reload" -eq 1 ]; then systemctl --user daemon-reload; fi
if ! systemctl --user is-enabled --quiet openclaw-workspace-sync.timer || ! systemctl --user is-active --quiet openclaw-workspace-sync.timer; then
  systemctl --user enable --now openclaw-workspace-sync.timer
  mark_changed
elif [ "$reload" -eq 1 ]; then
  systemctl --user restart openclaw-workspace-sync.timer
fi

say "first sync (best-effort)"
if "$program"; then
  say "workspace synced"
else
  say "the first sync did not push; add the deploy key (pulumi stack output workspaceDeployPublicKey) to the repository with write access: the timer retries"
fi
finish
