#!/usr/bin/env bash
# Real-OpenClaw tier, Discord: runs inside a network namespace of its own
# (loopback only), so nothing can reach the real Discord. Starts the stand-in
# for Discord (test/lib/fake-discord.mjs) and `openclaw gateway run`, waits for
# /readyz, then polls `openclaw health --json` until the Discord channel is
# connected or the deadline passes, and prints the last health answer as the
# line `HEALTH <json>`. Both processes are stopped by their PIDs on exit.
# Inputs: the isolation's OpenClaw environment (PATH, HOME, OPENCLAW_*),
# NODE_EXTRA_CA_CERTS naming the test CA, and
# Usage: discord-gateway.sh <fake-discord.mjs> <gateway port> <proxy port> <cert> <key> <bot id> <out dir>
set -euo pipefail
[ "$#" -eq 7 ] || {
  echo "usage: $0 <fake-discord.mjs> <gateway port> <proxy port> <cert> <key> <bot id> <out dir>" >&2
  exit 2
}
fake="$1" port="$2" proxy_port="$3" cert="$4" key="$5" bot="$6" out="$7"
ip link set lo up

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 2
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

node "$fake" "$proxy_port" "$cert" "$key" "$bot" >"${out}/fake-discord.log" 2>&1 &
pids+=("$!")
openclaw gateway run --tailscale off >"${out}/gateway.out" 2>&1 &
pids+=("$!")

started=$(date +%s)
until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${port}/readyz"; do
  if [ $(($(date +%s) - started)) -gt 120 ]; then
    echo "READY never"
    exit 1
  fi
  sleep 0.5
done
echo "READY $(($(date +%s) - started))"

health=""
while [ $(($(date +%s) - started)) -le 150 ]; do
  health=$(openclaw health --json --timeout 5000 2>/dev/null | sed -n '/^{/,$p' | jq -c '.' 2>/dev/null || true)
  if [ "$(jq -r '.channels.discord.connected // false' <<<"${health:-null}")" = true ]; then break; fi
  sleep 2
done
echo "HEALTH ${health:-null}"
