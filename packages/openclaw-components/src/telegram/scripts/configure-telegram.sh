#!/usr/bin/env bash
# Step "configure-telegram": applies the Telegram channel config (bot token,
# allowFrom, dmPolicy) with `openclaw config patch`. The patch holds the bot
# token, so it arrives on stdin only and nothing is printed from it.
# Inputs (environment): OPENCLAW_GATEWAY_PORT. Stdin: the config patch (JSON).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_GATEWAY_PORT:?}"
patch=$(cat)
[ -n "$patch" ] || fail "no Telegram config patch on stdin"
apply_config_patch telegram "$patch"
unset patch
if [ "$STEP_CHANGED" -eq 1 ]; then restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"; fi
finish
