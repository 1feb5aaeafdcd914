#!/usr/bin/env bash
# Docker tier: starts an isolated dockerd (its own data root, exec root,
# pidfile and socket under <state-dir>) on Docker's default bridge, waits
# until it answers and prints its PID. Re-running it on the same state dir is
# a dockerd restart: images and iptables chains are kept.
# Usage: start-dockerd.sh <state-dir>
# Environment: DOCKER (CLI, optional).
set -euo pipefail

state="$1"
docker_cli="${DOCKER:-docker}"
sock="${state}/docker.sock"
install -d -m 0700 "$state" "${state}/data" "${state}/exec"

# stdio goes to a log file: the caller (spawnSync) waits for its pipes to close.
setsid dockerd \
  --data-root "${state}/data" \
  --exec-root "${state}/exec" \
  --pidfile "${state}/dockerd.pid" \
  --host "unix://${sock}" \
  >>"${state}/dockerd.log" 2>&1 </dev/null &
pid=$!
printf '%s\n' "$pid" >"${state}/dockerd.started.pid"

for _ in $(seq 1 240); do
  if DOCKER_HOST="unix://${sock}" "$docker_cli" version >/dev/null 2>&1; then
    printf '%s\n' "$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 30 "${state}/dockerd.log" >&2
    echo "error: dockerd exited during start-up (log above)" >&2
    exit 1
  fi
  sleep 0.5
done
tail -n 30 "${state}/dockerd.log" >&2
echo "error: dockerd (PID ${pid}) did not answer on ${sock} within 120s" >&2
exit 1
