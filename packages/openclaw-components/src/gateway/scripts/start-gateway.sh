#!/usr/bin/env bash
# Step "start-gateway": installs the openclaw-gateway systemd *user* unit,
# enables it, makes sure linger keeps it running without a login, starts it,
# and waits until /readyz answers.
# Inputs (environment): OPENCLAW_GATEWAY_PORT, OPENCLAW_GATEWAY_UNIT (unit text).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_GATEWAY_PORT:?}" "${OPENCLAW_GATEWAY_UNIT:?}"
unit_file="${HOME}/.config/systemd/user/openclaw-gateway.service"

if [ "$(loginctl show-user "$(id -un)" --property=Linger --value 2>/dev/null || true)" != "yes" ]; then
  say "enabling linger for $(id -un)"
  sudo loginctl enable-linger "$(id -un)"
  mark_changed
fi

if install_text "$unit_file" 0644 "$OPENCLAW_GATEWAY_UNIT"; then
  say "installed ${unit_file}"
  systemctl --user daemon-reload
fi
if ! systemctl --user is-enabled --quiet openclaw-gateway.service; then
  systemctl --user enable openclaw-gateway.service
  mark_changed
fi
if [ "$STEP_CHANGED" -eq 1 ] || ! systemctl --user is-active --quiet openclaw-gateway.service; then
  say "starting openclaw-gateway"
  systemctl --user restart openclaw-gateway.service
  mark_changed
fi
wait_for_gateway "$OPENCLAW_GATEWAY_PORT"
finish
