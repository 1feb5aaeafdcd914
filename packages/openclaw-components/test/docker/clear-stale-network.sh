#!/usr/bin/env bash
# Docker tier: a docker0 bridge or DOCKER* chains on this machine while no
# dockerd runs here are what a run killed before its stop-dockerd.sh left
# behind. Removes them (and says so) before the tier records the network it
# must leave as it found it: kept, they would count as "there before", and
# this run's stop would leave the rules its dockerd adds to them.
# Usage: clear-stale-network.sh
set -euo pipefail
# shellcheck source=SCRIPTDIR/docker-network.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/docker-network.sh"

if docker_network_present && ! pgrep -x dockerd >/dev/null; then
  remove_docker_network /dev/null
  echo "removed a docker0 bridge and DOCKER chains that no running dockerd owns (left by a killed run)"
fi
