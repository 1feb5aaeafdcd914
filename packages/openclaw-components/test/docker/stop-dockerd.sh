#!/usr/bin/env bash
# Docker tier: removes the containers of the dockerd that start-dockerd.sh
# started on <state-dir>, stops it by PID (TERM, then KILL after 60s), then the
# containerd it launched, and unmounts anything a crash left under <state-dir>.
# Only processes whose command line names <state-dir> are signalled.
# Usage: stop-dockerd.sh <state-dir> [--restart]
#   --restart: dockerd is started again right after; this machine's network
#   is left as dockerd had it (the restart test checks that a rule survives).
# Environment: DOCKER (CLI, optional).
set -euo pipefail
# shellcheck source=SCRIPTDIR/docker-network.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/docker-network.sh"

state="$1" mode="${2:-}"
docker_cli="${DOCKER:-docker}"
sock="${state}/docker.sock"

ours() { # <pid>: alive and started for this state dir
  [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$state"
}
stop_pid() { # <pid> <name>
  local pid="$1" name="$2"
  ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do
    ours "$pid" || {
      echo "stopped ${name} (PID ${pid})"
      return 0
    }
    sleep 0.5
  done
  echo "warning: ${name} (PID ${pid}) ignored TERM for 60s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    ours "$pid" || return 0
    sleep 0.5
  done
  echo "error: ${name} (PID ${pid}) survived KILL" >&2
  return 1
}

pid=$(cat "${state}/dockerd.started.pid" 2>/dev/null || true)
if [ -z "$pid" ]; then
  echo "no dockerd was started under ${state}"
  exit 0
fi
containerd_pid=$(cat "${state}/exec/containerd/containerd.pid" 2>/dev/null || true)

if ours "$pid"; then
  ids=$(DOCKER_HOST="unix://${sock}" "$docker_cli" ps --all --quiet 2>/dev/null || true)
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086 # one container id per word
    DOCKER_HOST="unix://${sock}" "$docker_cli" rm --force $ids >/dev/null || true
    echo "removed containers: $(printf '%s' "$ids" | tr '\n' ' ')"
  fi
fi
stop_pid "$pid" dockerd
stop_pid "$containerd_pid" containerd

# After a clean stop nothing is mounted here; after a crash, overlays may be.
findmnt -rn -o TARGET | awk -v p="${state}/" 'index($0, p) == 1' | sort -r |
  while read -r mnt; do umount -l "$mnt" || true; done

# This machine's network as start-dockerd.sh found it: dockerd leaves its
# bridge, its chains and a FORWARD policy of DROP behind when it stops.
before="${state}/network.before"
if [ -e "$before" ] && [ "$mode" != "--restart" ]; then
  remove_docker_network "$before"
  bash "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib/forwarding.sh" release "docker-tier-$(basename "$(dirname "$state")")"
  rm -f "$before" "/run/openclaw-test-docker/$(basename "$(dirname "$state")")"
  echo "network as found: bridge, chains and FORWARD policy restored"
fi
