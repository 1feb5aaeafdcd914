#!/usr/bin/env bash
# Step "remove-<feature>": runs while a feature is switched off and makes sure
# nothing it installed is left on the host: its timers stop first, then its
# files, sandbox containers and images go, then its part of openclaw.json is
# removed with OpenClaw's own `config patch` (null deletes a key) and the
# gateway restarts. What the agent made is kept: the workspace, the backup
# archives. Idempotent: with nothing left it reports "unchanged"; switched
# back on, the feature's own steps install it all again.
# Inputs (environment): OPENCLAW_REMOVE_FEATURE (its name, for messages),
# OPENCLAW_GATEWAY_PORT, and JSON arrays, each optional:
# OPENCLAW_REMOVE_UNITS (user units to stop and delete, with their suffix),
# OPENCLAW_REMOVE_FILES (paths under $HOME; units and files may be globs),
# OPENCLAW_REMOVE_IMAGES (Docker
# tags, dependents first), OPENCLAW_REMOVE_CONFIG_PATHS (dot paths in
# openclaw.json) with OPENCLAW_REMOVE_CONFIG (the patch that deletes them) and
# OPENCLAW_REMOVE_MARKERS (the feature's "already applied" markers),
# OPENCLAW_REMOVE_PLUGINS (ids of OpenClaw plugins it installed, uninstalled
# after its config part is gone), OPENCLAW_REMOVE_STATE (paths under $HOME the
# running feature writes, such as a channel's link state: removed last, once
# the restarted gateway no longer runs it);
# OPENCLAW_REMOVE_CONTAINER_PREFIX (Docker container names to remove),
# OPENCLAW_REMOVE_IMAGE_LABEL (images carrying it are removed, whatever their tag).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/lib.sh
. /dev/null

: "${OPENCLAW_REMOVE_FEATURE:?}" "${OPENCLAW_GATEWAY_PORT:?}"
feature="$OPENCLAW_REMOVE_FEATURE"
each() { jq -r '.[]' <<<"${1:-[]}"; }

units_dir=".config/systemd/user"
reload=0
# A unit or file may be a glob (an agent's units and keys, by agent id).
while IFS= read -r pattern; do
  if [ -z "$pattern" ]; then continue; fi
  while IFS= read -r path; do
    say "removing ${path##*/}"
    remove_user_unit "$path"
    reload=1
  done < <(home_glob "${units_dir}/${pattern}")
done < <(each "${OPENCLAW_REMOVE_UNITS:-}")
if [ "$reload" -eq 1 ]; then systemctl --user daemon-reload; fi

while IFS= read -r pattern; do
  if [ -z "$pattern" ]; then continue; fi
  while IFS= read -r file; do
    say "removing ~/${file}"
    rm -f "${HOME:?}/${file}"
    mark_changed
  done < <(home_glob "$pattern")
done < <(each "${OPENCLAW_REMOVE_FILES:-}")

if command -v docker >/dev/null 2>&1; then
  if [ -n "${OPENCLAW_REMOVE_CONTAINER_PREFIX:-}" ]; then
    containers=$(docker ps --all --quiet --filter "name=${OPENCLAW_REMOVE_CONTAINER_PREFIX}")
    if [ -n "$containers" ]; then
      say "removing ${feature}'s containers"
      # shellcheck disable=SC2086 # one id per word
      docker rm --force $containers >/dev/null
      mark_changed
    fi
  fi
  # The images the library built carry its label, whatever their tag was.
  images=()
  if [ -n "${OPENCLAW_REMOVE_IMAGE_LABEL:-}" ]; then
    mapfile -t images < <(docker images --quiet --filter "label=${OPENCLAW_REMOVE_IMAGE_LABEL}" | sort -u)
  fi
  mapfile -t -O "${#images[@]}" images < <(each "${OPENCLAW_REMOVE_IMAGES:-}")
  for image in "${images[@]}"; do
    if [ -z "$image" ] || ! docker image inspect "$image" >/dev/null 2>&1; then continue; fi
    say "removing the image ${image}"
    docker image rm --force "$image" >/dev/null
    mark_changed
  done
fi

config="${OPENCLAW_HOME}/openclaw.json"
if [ -n "${OPENCLAW_REMOVE_CONFIG:-}" ] && [ -f "$config" ]; then
  # jq -e: 0 when a path is set, 1 when none is; anything else is a config
  # this step cannot read, which must not pass for "nothing to remove".
  set +e
  jq -e --argjson paths "${OPENCLAW_REMOVE_CONFIG_PATHS:-[]}" \
    '. as $c | any($paths[]; . as $p | $c | getpath($p | split(".")) != null)' "$config" >/dev/null 2>&1
  present=$?
  set -e
  case "$present" in
    0)
      say "removing ${feature} from openclaw.json"
      printf '%s\n' "$OPENCLAW_REMOVE_CONFIG" | openclaw config patch --stdin >/dev/null ||
        fail "openclaw refused to remove ${feature} from its config (the live config is unchanged)"
      chmod 0600 "$config"
      mark_changed
      restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"
      ;;
    1) ;;
    *) fail "cannot read ${config} to see whether ${feature} is still configured" ;;
  esac
fi
# 0: the plugin is installed; 1: it is not. A list that cannot be read fails
# the step rather than pass for "nothing to uninstall".
plugin_installed() {
  local list status
  list=$(openclaw plugins list --json </dev/null | json_only) || fail "openclaw could not list its plugins"
  set +e
  jq -e --arg id "$1" 'any(.plugins[]; .id == $id and .origin == "global")' <<<"$list" >/dev/null 2>&1
  status=$?
  set -e
  case "$status" in
    0 | 1) return "$status" ;;
    *) fail "openclaw's plugin list is not JSON with a plugins array" ;;
  esac
}
while IFS= read -r plugin; do
  [ -n "$plugin" ] || continue
  plugin_changed=0
  if plugin_installed "$plugin"; then
    say "uninstalling the ${plugin} plugin"
    # The id is the library's own constant, never user text.
    openclaw plugins uninstall --force -- "$plugin" </dev/null >/dev/null ||
      fail "openclaw could not uninstall the ${plugin} plugin (see above)"
    plugin_changed=1
  fi
  # Uninstall leaves plugins.entries.<id> as { enabled: false }, which a later
  # install would keep (a reinstalled plugin stays disabled): it goes too.
  if [ -f "$config" ] && jq -e --arg id "$plugin" '.plugins.entries | has($id)' "$config" >/dev/null 2>&1; then
    jq -cn --arg id "$plugin" '{plugins: {entries: {($id): null}}}' | openclaw config patch --stdin >/dev/null ||
      fail "openclaw refused to remove the ${plugin} plugin's entry from its config"
    plugin_changed=1
  fi
  if [ "$plugin_changed" -eq 1 ]; then
    mark_changed
    chmod 0600 "$config"
    restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"
  fi
done < <(each "${OPENCLAW_REMOVE_PLUGINS:-}")

# Last: what the running feature itself wrote. The gateway restarted above
# without it, so nothing writes these again.
while IFS= read -r path; do
  if [ -z "$path" ] || [ ! -e "${HOME}/${path}" ]; then continue; fi
  say "removing ~/${path}"
  rm -rf -- "${HOME:?}/${path}"
  mark_changed
done < <(each "${OPENCLAW_REMOVE_STATE:-}")

# Switched back on, the feature's steps must apply their part again.
while IFS= read -r marker; do
  if [ -n "$marker" ]; then rm -f "${INFRA_STATE_DIR}/${marker}.sha256"; fi
done < <(each "${OPENCLAW_REMOVE_MARKERS:-}")

say "${feature}: nothing of it is left on the host"
finish
