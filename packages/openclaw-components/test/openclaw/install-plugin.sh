#!/usr/bin/env bash
# Real-OpenClaw tier: installs one of OpenClaw's official external plugins
# (such as npm:@openclaw/discord@<version>) with that OpenClaw's own
# `plugins install --pin` into <dir>/state, an OpenClaw state directory the
# tests copy as their own. The copy keeps reading the plugin's files here:
# OpenClaw records the install by absolute path, so it is installed in place
# (never moved) and <dir> is kept read-only by the tests.
#
# Reuses <dir> when its marker file (written last) names the same spec;
# otherwise starts it afresh. Concurrent callers serialise on <dir>.lock.
# Needs the npm registry (as install-openclaw.sh does); the user's npm
# settings are kept, HOME is not (OpenClaw writes only under its state dir).
#
# Usage: install-plugin.sh <openclaw bin dir> <spec> <dir>
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 <openclaw bin dir> <spec> <dir>" >&2
  exit 2
fi
bin="$1" spec="$2" dir="$3"
marker="${dir}/.plugin-tier-complete"

mkdir -p "$(dirname "$dir")"
exec 9>"${dir}.lock"
flock 9

if [ -f "$marker" ] && [ "$(cat "$marker")" = "$spec" ]; then
  echo "plugin: reusing ${dir} (${spec})"
  exit 0
fi
rm -rf "$dir"
mkdir -p "${dir}/home" "${dir}/tmp"
mkdir -m 0700 "${dir}/state"
started=$(date +%s)
# npm's own settings (registry, CA) are read from the user's npmrc, which a
# HOME of our own would hide.
userconfig="${NPM_CONFIG_USERCONFIG:-${HOME}/.npmrc}"
PATH="${bin}:${PATH}" HOME="${dir}/home" TMPDIR="${dir}/tmp" NPM_CONFIG_USERCONFIG="$userconfig" \
  OPENCLAW_STATE_DIR="${dir}/state" OPENCLAW_CONFIG_PATH="${dir}/state/openclaw.json" \
  OPENCLAW_NO_AUTO_UPDATE=1 CI=true \
  openclaw plugins install "$spec" --pin
rm -rf "${dir}/tmp"
printf '%s\n' "$spec" >"$marker"
echo "plugin: installed ${spec} into ${dir} in $(($(date +%s) - started)) s"
