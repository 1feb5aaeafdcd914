#!/usr/bin/env bash
# Docker tier: puts back this machine's network as a run killed before its
# stop-dockerd.sh found it. start-dockerd.sh keeps, under
# /run/openclaw-test-docker, what it recorded before its dockerd changed
# anything, with the PID of the test process that owned the run. A record
# whose owner is gone, while no dockerd runs on this machine, is such a run:
# its docker0 bridge, chains, rules and FORWARD policy are undone as its own
# stop would have. Run before the tier records the network it must leave as
# it found it; what no record names (a Docker installed on this machine) is
# never touched.
# Usage: clear-stale-network.sh
set -euo pipefail
# shellcheck source=SCRIPTDIR/docker-network.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/docker-network.sh"

records=/run/openclaw-test-docker
[ -d "$records" ] || exit 0
for record in "$records"/*; do
  [ -f "$record" ] || continue
  owner=$(head -n 1 "$record")
  if [[ ! "$owner" =~ ^[0-9]+$ ]] || kill -0 "$owner" 2>/dev/null; then continue; fi
  if pgrep -x dockerd >/dev/null; then
    echo "warning: $(basename "$record") was left by a killed run, but a dockerd still runs; left as it is" >&2
    continue
  fi
  before=$(mktemp)
  tail -n +2 "$record" >"$before"
  remove_docker_network "$before"
  rm -f "$before" "$record"
  echo "put back the network a killed run ($(basename "$record"), test process ${owner}) found"
done
