#!/usr/bin/env bash
# Step "configure-<channel>": applies one chat channel's config part (its
# token, its allowlists) with `openclaw config patch`. The patch holds the
# channel's token, so it arrives on stdin only and nothing is printed from it.
# `config patch` merges maps key by key, so a guild dropped from the
# declared map would stay: for each key in OPENCLAW_CHANNEL_REPLACED, what the
# live config holds under it and the declared part does not is deleted in the
# same patch.
# Inputs (environment): OPENCLAW_CHANNEL (the channel's key under `channels`),
# OPENCLAW_CHANNEL_REPLACED (JSON array of its keys that are replaced whole),
# OPENCLAW_GATEWAY_PORT. Stdin: the config patch (JSON).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/lib.sh
. /dev/null

: "${OPENCLAW_GATEWAY_PORT:?}" "${OPENCLAW_CHANNEL:?}"
# The channel names a marker file: a fixed word, never a path.
case "$OPENCLAW_CHANNEL" in *[!a-z]*) fail "OPENCLAW_CHANNEL is not a channel key (a-z only)" ;; esac
patch=$(cat)
[ -n "$patch" ] || fail "no ${OPENCLAW_CHANNEL} config patch on stdin"
ensure_state_dirs
if ! config_patch_current "$OPENCLAW_CHANNEL" "$patch"; then
  live="${OPENCLAW_HOME}/openclaw.json"
  [ -f "$live" ] || live=/dev/null
  # The topmost live paths under a replaced key that the declared part lacks,
  # where their parent is there as an object: each becomes a null (delete).
  # Through pipes, not here-strings: the patch holds the channel's token.
  combined=$(printf '%s\n' "$patch" | jq -c --arg c "$OPENCLAW_CHANNEL" \
    --argjson replaced "${OPENCLAW_CHANNEL_REPLACED:-[]}" --slurpfile live "$live" '
    def at($p): try getpath($p) catch null;
    .channels[$c] as $new
    | [($live[0].channels[$c] // {}) | paths | select(.[0] as $k | $replaced | index([$k]))
        | select(. as $p | ($new | at($p)) == null and ($new | at($p[:-1]) | type) == "object")] as $gone
    | if $gone == [] then null else reduce $gone[] as $p (.; setpath(["channels", $c] + $p; null)) end') ||
    fail "the ${OPENCLAW_CHANNEL} config patch on stdin, or the live config, is not JSON of the expected shape"
  # Nothing to delete: the declared patch goes to OpenClaw as it came.
  if [ "$combined" = null ]; then combined="$patch"; fi
  apply_config_patch "$OPENCLAW_CHANNEL" "$combined" "$patch"
fi
unset patch combined
if [ "$STEP_CHANGED" -eq 1 ]; then restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"; fi
finish
