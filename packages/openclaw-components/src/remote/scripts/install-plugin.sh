#!/usr/bin/env bash
# Step "install-<plugin>-plugin": makes sure one of OpenClaw's official
# external plugins (a channel OpenClaw ships as its own npm package, such as
# Discord) is installed at exactly the declared version, with OpenClaw's own
# `plugins install … --pin`. Unchanged when `plugins list` already shows it at
# that version; another version is replaced (--force). The gateway restarts
# when the plugin changed, so it loads the new one.
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

installed_version() {
  local list
  list=$(openclaw plugins list --json | json_only) || fail "openclaw could not list its plugins"
  jq -r --arg id "$id" '[.plugins[] | select(.id == $id and .origin == "global") | .version] | first // empty' \
    <<<"$list" || fail "openclaw's plugin list is not JSON"
}

have=$(installed_version)
if [ "$have" != "$OPENCLAW_PLUGIN_VERSION" ]; then
  install=(plugins install "$spec" --pin)
  if [ -n "$have" ]; then
    say "replacing the ${id} plugin ${have} with ${OPENCLAW_PLUGIN_VERSION}"
    install+=(--force)
  else
    say "installing the ${id} plugin ${OPENCLAW_PLUGIN_VERSION}"
  fi
  openclaw "${install[@]}" >/dev/null || fail "openclaw could not install ${spec} (see above)"
  have=$(installed_version)
  [ "$have" = "$OPENCLAW_PLUGIN_VERSION" ] ||
    fail "after installing ${spec}, openclaw lists the ${id} plugin at '${have:-no version}'"
  mark_changed
  restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"
fi
say "the ${id} plugin is at ${OPENCLAW_PLUGIN_VERSION}"
finish
