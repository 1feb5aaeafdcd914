#!/usr/bin/env bash
# Step "configure-gateway": applies the gateway's part of ~/.openclaw/openclaw.json
# (0600, directory 0700) and stores the model credentials in OpenClaw's auth
# store with its own commands: a Claude setup token (`paste-token`) and
# provider API keys (`paste-api-key`), each as the provider's `<provider>:manual`
# profile, and logs out each one the deployment no longer declares. Secrets
# arrive on stdin only: line 1 is the setup token (empty without one), line 2
# the API keys as one JSON object by provider, the rest the config patch
# (which holds the gateway token). Nothing secret is printed, passed as an
# argument, or written with a readable mode.
# Inputs (environment): OPENCLAW_GATEWAY_PORT; OPENCLAW_MODEL_AUTH_PROVIDERS,
# the providers the library manages; OPENCLAW_MODEL_AUTH, the declared
# credentials as words "<provider>:setup-token" or "<provider>:api-key".
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_GATEWAY_PORT:?}" "${OPENCLAW_MODEL_AUTH_PROVIDERS:?}"
IFS= read -r setup_token || true
IFS= read -r api_keys || true
[ -n "$api_keys" ] || api_keys='{}'
patch=$(cat)
declared=" ${OPENCLAW_MODEL_AUTH:-} "
declares() { [[ "$declared" == *" $1 "* ]]; }
# Through pipes, not here-strings: a here-string may be written to a temp
# file (bash before 5.1, or a long one), and these hold secrets.
api_key() { printf '%s\n' "$api_keys" | jq -r --arg p "$1" '.[$p] // empty'; }
# Every input is checked before anything is written.
if declares anthropic:setup-token && [ -z "$setup_token" ]; then fail "no Anthropic setup token on stdin"; fi
for provider in $OPENCLAW_MODEL_AUTH_PROVIDERS; do
  if declares "${provider}:api-key" && [ -z "$(api_key "$provider")" ]; then fail "no ${provider} API key on stdin"; fi
done
[ -n "$patch" ] || fail "no config patch on stdin"

apply_config_patch gateway "$patch"

# Whether OpenClaw holds the provider's profile: 0 yes, 1 no. A list that
# fails or is not JSON fails the step: taking it for "not held" would forget a
# credential that is still stored.
holds_profile() {
  local list rc=0
  list=$(openclaw models auth list --provider "$1" --json | json_only) ||
    fail "openclaw models auth list --provider $1 failed"
  printf '%s\n' "$list" | jq -e --arg id "$1:manual" 'any(.profiles[]?; .id == $id)' >/dev/null 2>&1 || rc=$?
  case "$rc" in
    0) return 0 ;;
    1) return 1 ;;
    *) fail "openclaw models auth list --provider $1 printed no JSON profile list" ;;
  esac
}
# Logs a credential out; its marker goes only once OpenClaw no longer holds it.
forget() { # <marker> <provider> <what>
  say "removing the $3 (no longer declared)"
  if holds_profile "$2"; then
    openclaw models auth logout "$2:manual" --yes >/dev/null || fail "openclaw could not log out $2:manual"
  fi
  rm -f -- "${INFRA_STATE_DIR}/$1.sha256"
  mark_changed
}
# Stores a credential from stdin with `openclaw models auth <command>` unless
# the same one is stored. Usage: store <marker> <command> <provider> <what> < <(printf '%s\n' "$secret")
# (a process substitution, not a pipe: the function must run in this shell to mark the step changed).
store() {
  local secret hash
  IFS= read -r secret || true
  [ -n "$secret" ] || fail "no $4 on stdin"
  hash=$(printf '%s' "$secret" | sha256_of_stdin)
  [ "$(marker_get "$1")" != "$hash" ] || return 0
  say "storing the $4"
  # printf is a shell builtin: the secret never appears in any argv.
  printf '%s\n' "$secret" | openclaw models auth "$2" --provider "$3" >/dev/null
  marker_set "$1" "$hash"
  mark_changed
}

# Removals first: an Anthropic API key cannot replace a setup token's
# profile (OpenClaw: "belongs to another sign-in") until it is logged out.
for provider in $OPENCLAW_MODEL_AUTH_PROVIDERS; do
  if ! declares "${provider}:api-key" && [ -n "$(marker_get "model-api-key-${provider}")" ]; then
    forget "model-api-key-${provider}" "$provider" "${provider} API key"
  fi
done
if ! declares anthropic:setup-token && [ -n "$(marker_get anthropic-setup-token)" ]; then
  forget anthropic-setup-token anthropic "Anthropic setup token"
fi
if declares anthropic:setup-token; then
  store anthropic-setup-token paste-token anthropic "Anthropic setup token" < <(printf '%s\n' "$setup_token")
fi
for provider in $OPENCLAW_MODEL_AUTH_PROVIDERS; do
  if declares "${provider}:api-key"; then
    store "model-api-key-${provider}" paste-api-key "$provider" "${provider} API key" < <(api_key "$provider")
  fi
done
if [ "$STEP_CHANGED" -eq 1 ]; then
  chmod 0600 "${OPENCLAW_HOME}/openclaw.json"
  # OpenClaw creates its auth store 0600; an older or newer release that
  # did not would leave a credential readable, so the step makes sure.
  exposed_secret_files -exec chmod go-rwx {} +
fi
unset setup_token api_keys patch

if [ "$STEP_CHANGED" -eq 1 ]; then restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"; fi
finish
