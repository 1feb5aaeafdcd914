#!/usr/bin/env bash
# Step "install-<plugin>-plugin": makes sure one of OpenClaw's official
# external plugins (a channel OpenClaw ships as its own npm package, such as
# Discord) is installed at exactly the declared version, with OpenClaw's own
# `plugins install … --pin`, and enabled. Unchanged when `plugins list` already
# shows it enabled at that version; another version is replaced (--force). The
# gateway restarts when the plugin changed, so it loads the new one.
# Inputs (environment): OPENCLAW_PLUGIN_ID (its id, e.g. discord),
# OPENCLAW_PLUGIN_PACKAGE (its npm package, e.g. @openclaw/discord),
# OPENCLAW_PLUGIN_VERSION (exact version), OPENCLAW_GATEWAY_PORT.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/lib.sh
. /dev/null

: "${OPENCLAW_PLUGIN_ID:?}" "${OPENCLAW_PLUGIN_PACKAGE:?}" "${OPENCLAW_PLUGIN_VERSION:?}" "${OPENCLAW_GATEWAY_PORT:?}"
id="$OPENCLAW_PLUGIN_ID"
spec="npm:${OPENCLAW_PLUGIN_PACKAGE}@${OPENCLAW_PLUGIN_VERSION}"

# "<version> <enabled>" of the installed plugin, or nothing when it is not installed.
installed() {
  local list
  list=$(openclaw plugins list --json </dev/null | json_only) || fail "openclaw could not list its plugins"
  jq -r --arg id "$id" '[.plugins[] | select(.id == $id and .origin == "global") | "\(.version) \(.enabled)"]
    | first // empty' <<<"$list" || fail "openclaw's plugin list is not JSON with a plugins array"
}

have=$(installed)
if [ "${have% *}" != "$OPENCLAW_PLUGIN_VERSION" ]; then
  install=(plugins install "$spec" --pin)
  if [ -n "$have" ]; then
    say "replacing the ${id} plugin ${have% *} with ${OPENCLAW_PLUGIN_VERSION}"
    install+=(--force)
  else
    say "installing the ${id} plugin ${OPENCLAW_PLUGIN_VERSION}"
  fi
  openclaw "${install[@]}" </dev/null >/dev/null || fail "openclaw could not install ${spec} (see above)"
  have=$(installed)
  [ "${have% *}" = "$OPENCLAW_PLUGIN_VERSION" ] ||
    fail "after installing ${spec}, openclaw lists the ${id} plugin at '${have:-no version}'"
  mark_changed
fi
# A plugin once disabled stays disabled through a reinstall (OpenClaw keeps
# an explicit enabled: false): the channel needs it on.
if [ "${have#* }" != true ]; then
  say "enabling the ${id} plugin"
  openclaw plugins enable -- "$id" </dev/null >/dev/null || fail "openclaw could not enable the ${id} plugin"
  [ "$(installed)" = "${OPENCLAW_PLUGIN_VERSION} true" ] || fail "openclaw still lists the ${id} plugin as disabled"
  mark_changed
fi
if [ "$STEP_CHANGED" -eq 1 ]; then
  # `plugins install` and `enable` rewrite the config file with the default umask.
  chmod 0600 "${OPENCLAW_HOME}/openclaw.json"
  restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"
fi
say "the ${id} plugin is at ${OPENCLAW_PLUGIN_VERSION}"
finish
