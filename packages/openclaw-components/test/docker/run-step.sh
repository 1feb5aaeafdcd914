#!/usr/bin/env bash
# Docker tier: runs a rendered remote step (lib.sh + the step's script, see
# src/remote/step.ts) the way a host does: `bash -c <command>`, with the
# caller's environment. The step sets PATH itself, with /usr/local/bin first,
# where install-openclaw.sh links node/npm/npx; so the step runs in a private
# mount namespace whose /usr/local/bin holds just those links into <node-tree>.
# Nothing outside that namespace changes.
# Usage: run-step.sh <node-tree> <command-file>
set -euo pipefail

if [ "${1:-}" = "--in-namespace" ]; then
  mount --bind "$2" /usr/local/bin
  command=$(cat "$3")
  exec bash -c "$command"
fi

node_tree="$1" command_file="$2"
bin_dir=$(mktemp -d)
trap 'rm -rf "$bin_dir"' EXIT
for bin in node npm npx; do ln -s "${node_tree}/bin/${bin}" "${bin_dir}/${bin}"; done
unshare --mount --propagation private -- bash "${BASH_SOURCE[0]}" --in-namespace "$bin_dir" "$command_file"
