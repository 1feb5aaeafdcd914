#!/usr/bin/env bash
# Step "apply-openclaw-config": merges the deployment's openclawConfig patch
# into ~/.openclaw/openclaw.json last, with OpenClaw's own `config patch`
# (which validates it, or leaves the live config unchanged), and deletes
# every key an earlier patch set that this one no longer holds. The keys it
# set are kept in ~/.openclaw/.infra/openclaw-config-paths.json (0600), so
# the deletion needs no state outside the host and travels with its backups.
# Stdin: the patch (JSON, secrets in place; `{}` when there is none).
# Inputs (environment): OPENCLAW_GATEWAY_PORT.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_GATEWAY_PORT:?}"
patch=$(cat)
[ -n "$patch" ] || fail "no config patch on stdin"
ensure_state_dirs
paths_file="${INFRA_STATE_DIR}/openclaw-config-paths.json"
[ -s "$paths_file" ] || printf '[]\n' >"$paths_file"
chmod 0600 "$paths_file"

# A patch's keys, as jq paths: every value that is not an object (a list is
# one value; `config patch` replaces it whole).
leaves='[paths(type != "object") | select(all(.[]; type == "string"))]'
# What to apply: the patch, plus a null (delete) for each key the last patch
# set that this one neither holds nor replaces from above.
combined=$(printf '%s\n' "$patch" | jq -c --slurpfile old "$paths_file" "
  . as \$new | ${leaves} as \$keep
  | reduce (\$old[0][]
      | select(. as \$p | \$keep | any(. as \$k | \$p[0:(\$k | length)] == \$k) | not)
      | select(. as \$p | (\$new | try getpath(\$p) catch 1) == null)) as \$p (.; setpath(\$p; null))") ||
  fail "the openclawConfig patch on stdin is not a JSON object"
new_paths=$(printf '%s\n' "$patch" | jq -c "$leaves")

if [ "$combined" != "{}" ]; then
  apply_config_patch openclaw-config "$combined"
fi
if [ "$(cat "$paths_file")" != "$new_paths" ]; then
  printf '%s\n' "$new_paths" >"$paths_file"
fi
say "openclawConfig: $(jq 'length' <<<"$new_paths") keys set by the patch"
unset patch combined

if [ "$STEP_CHANGED" -eq 1 ]; then restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"; fi
finish
