#!/usr/bin/env bash
# Step "apply-openclaw-config": merges the deployment's openclawConfig patch
# into ~/.openclaw/openclaw.json last, with OpenClaw's own `config patch`
# (which validates it, or leaves the live config unchanged), and deletes
# every key an earlier patch set that this one no longer holds. The keys it
# set are kept in ~/.openclaw/.infra/openclaw-config-paths.json (0600), so
# the deletion needs no state outside the host and travels with its backups.
# Stdin: the patch (JSON, secrets in place; `{}` when there is none).
# Inputs (environment): OPENCLAW_GATEWAY_PORT; OPENCLAW_CONFIG_OWNED, a JSON
# array of the key paths the library's own steps set (a key recorded under one
# of them is never deleted here: it moved to its argument, whose step has
# already applied it); OPENCLAW_CONFIG_PATCH_SHOWN is the same patch with
# secrets as placeholders, for the plan: not applied.
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
leaves='def leaves: [paths(type != "object") | select(all(.[]; type == "string"))];'
# What to apply: the patch, plus a null (delete) for each key the last patch
# set that this one neither holds nor replaces from above. Where everything
# the live config holds under an object was the last patch's (a channel's
# block), the whole object goes, so no empty {} is left; an object that also
# holds other keys (the library's, OpenClaw's) stays. An agent's entry is
# the one object `config patch` will not delete (OpenClaw guards its roster):
# such an agent is listed apart, for `openclaw agents delete`.
config="${OPENCLAW_HOME}/openclaw.json"
live="$config"
[ -f "$config" ] || live=/dev/null
plan=$(printf '%s\n' "$patch" | jq -c --slurpfile old "$paths_file" --slurpfile live "$live" \
  --argjson owned "${OPENCLAW_CONFIG_OWNED:-[]}" "${leaves}"'
  def absent($p): (try getpath($p) catch 1) == null;
  def agent: length == 3 and .[0] == "agents" and .[1] == "entries";
  . as $new | leaves as $keep | ($live[0] | leaves) as $held
  | [$old[0][]
      | select(. as $p | $owned | any(. as $o | $p[0:($o | length)] == $o) | not)
      | select(. as $p | $keep | any(. as $k | $p[0:($k | length)] == $k) | not)
      | select(. as $p | $new | absent($p))] as $drop
  | [$drop[] | . as $p
      | first(range(1; ($p | length) + 1) as $n | $p[0:$n]
          | select(. != ["agents"] and . != ["agents", "entries"])
          | select(. as $q | $new | absent($q))
          | select(. as $q | all($held[] | select(.[0:($q | length)] == $q); . as $l | any($drop[]; . == $l))))
    ] | unique as $cut
  | [$cut[] | select(. as $q | any($cut[]; . != $q and $q[0:length] == .) | not)] as $top
  | { agents: [$top[] | select(agent) | .[2]],
      patch: ($new | reduce ($top[] | select(agent | not)) as $q (.; setpath($q; null))) }') ||
  fail "the openclawConfig patch on stdin is not a JSON object, or ${config} is not JSON"
# Through pipes, not here-strings: a long one may be written to a temp file, and the patch holds secrets.
combined=$(printf '%s\n' "$plan" | jq -c '.patch')
dropped_agents=$(printf '%s\n' "$plan" | jq -r '.agents[]')

while IFS= read -r agent; do
  [ -n "$agent" ] || continue
  say "deleting the agent ${agent}, which the patch no longer declares (OpenClaw moves its files to the trash)"
  # The id was checked at construction: an OpenClaw agent id, never an option.
  openclaw agents delete --force --json -- "$agent" >/dev/null ||
    fail "openclaw could not delete the agent ${agent} (see above)"
  mark_changed
done <<<"$dropped_agents"
new_paths=$(printf '%s\n' "$patch" | jq -c "${leaves} leaves")

if [ "$combined" != "{}" ]; then
  apply_config_patch openclaw-config "$combined"
fi
if [ "$(cat "$paths_file")" != "$new_paths" ]; then
  printf '%s\n' "$new_paths" >"$paths_file"
fi
say "openclawConfig: $(jq 'length' <<<"$new_paths") keys set by the patch"
unset patch combined plan

if [ "$STEP_CHANGED" -eq 1 ]; then restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"; fi
finish
