#!/usr/bin/env bash
# Step "configure-gateway": applies the gateway's part of ~/.openclaw/openclaw.json
# (0600, directory 0700) and stores the Anthropic setup token in OpenClaw's
# auth store. Secrets arrive on stdin only: line 1 is the setup token, the
# rest is the config patch (which holds the gateway token). Nothing secret is
# printed, passed as an argument, or written with a readable mode.
# Inputs (environment): OPENCLAW_GATEWAY_PORT.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_GATEWAY_PORT:?}"
IFS= read -r setup_token || true
patch=$(cat)
[ -n "$setup_token" ] || fail "no Anthropic setup token on stdin"
[ -n "$patch" ] || fail "no config patch on stdin"

apply_config_patch gateway "$patch"

token_hash=$(printf '%s' "$setup_token" | sha256_of_stdin)
if [ "$(marker_get anthropic-setup-token)" != "$token_hash" ]; then
  say "storing the Anthropic setup token"
  # printf is a shell builtin: the token never appears in any argv.
  printf '%s\n' "$setup_token" | openclaw models auth paste-token --provider anthropic >/dev/null
  chmod 0600 "${OPENCLAW_HOME}/openclaw.json"
  # OpenClaw creates its auth store 0600; an older or newer release that
  # did not would leave the token readable, so the step makes sure.
  exposed_secret_files -exec chmod go-rwx {} +
  marker_set anthropic-setup-token "$token_hash"
  mark_changed
fi
unset setup_token patch

if [ "$STEP_CHANGED" -eq 1 ]; then restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"; fi
finish
