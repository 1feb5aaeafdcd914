#!/usr/bin/env bash
# Docker tier: starts an isolated dockerd (its own data root, exec root,
# pidfile and socket under <state-dir>) on Docker's default bridge, waits
# until it answers and prints its PID. The first start on a state dir records
# what of this machine's network dockerd will change (its bridge, its
# iptables chains, the FORWARD policy) and holds forwarding on
# (../lib/forwarding.sh): stop-dockerd.sh gives all of it back. Re-running
# it on the same state dir after `stop-dockerd.sh --restart` is a dockerd
# restart: images and iptables chains are kept. What it recorded is also kept
# under /run/openclaw-test-docker with the PID of the test process that owns
# the run (OPENCLAW_TEST_OWNER_PID), so that a run killed before its stop can
# be cleaned up by the next (clear-stale-network.sh).
# Usage: start-dockerd.sh <state-dir>
# Environment: DOCKER (CLI, optional).
set -euo pipefail

state="$1"
docker_cli="${DOCKER:-docker}"
sock="${state}/docker.sock"
install -d -m 0700 "$state" "${state}/data" "${state}/exec"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# What dockerd is about to add to this machine's network, as it was before the
# first start on this state dir: stop-dockerd.sh removes what was not there.
if [ ! -e "${state}/network.before" ]; then
  {
    if ip link show docker0 >/dev/null 2>&1; then echo "link docker0"; fi
    iptables -S FORWARD | sed -n 's/^-P FORWARD \(.*\)/policy \1/p'
    for table in filter nat; do
      iptables -t "$table" -S | sed -n "s/^-N \(DOCKER.*\)/chain ${table} \1/p"
    done
  } >"${state}/network.before"
  install -d -m 0700 /run/openclaw-test-docker
  { printf '%s\n' "${OPENCLAW_TEST_OWNER_PID:-}"; cat "${state}/network.before"; } \
    >"/run/openclaw-test-docker/$(basename "$(dirname "$state")")"
  bash "${here}/../lib/forwarding.sh" hold "docker-tier-$(basename "$(dirname "$state")")"
fi

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
