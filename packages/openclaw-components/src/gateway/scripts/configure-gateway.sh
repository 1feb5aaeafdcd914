#!/usr/bin/env bash
# Step "configure-gateway": writes ~/.openclaw/openclaw.json (0600, directory
# 0700) and stores the Anthropic setup token in OpenClaw's auth store.
# Secrets arrive on stdin only: line 1 is the setup token, the rest is the
# rendered openclaw.json (which holds the gateway token). Nothing secret is
# printed, passed as an argument, or written with a readable mode.
# Inputs (environment): OPENCLAW_GATEWAY_PORT.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_GATEWAY_PORT:?}"
IFS= read -r setup_token || true
config=$(cat)
[ -n "$setup_token" ] || fail "no Anthropic setup token on stdin"
[ -n "$config" ] || fail "no openclaw.json on stdin"

ensure_state_dirs
config_file="${OPENCLAW_HOME}/openclaw.json"
want=$(printf '%s\n' "$config" | sha256_of_stdin)
if [ ! -f "$config_file" ] || [ "$(marker_get openclaw-json)" != "$want" ]; then
  say "writing ${config_file}"
  tmp=$(mktemp "${OPENCLAW_HOME}/.openclaw.json.XXXXXX")
  printf '%s\n' "$config" >"$tmp"
  chmod 0600 "$tmp"
  mv -f "$tmp" "$config_file"
  marker_set openclaw-json "$want"
  mark_changed
fi
chmod 0600 "$config_file"

token_hash=$(printf '%s' "$setup_token" | sha256_of_stdin)
if [ "$(marker_get anthropic-setup-token)" != "$token_hash" ]; then
  say "storing the Anthropic setup token"
  # printf is a shell builtin: the token never appears in any argv.
  printf '%s\n' "$setup_token" | openclaw models auth paste-token --provider anthropic >/dev/null
  marker_set anthropic-setup-token "$token_hash"
  mark_changed
fi
unset setup_token config

if [ "$STEP_CHANGED" -eq 1 ]; then restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"; fi
finish
