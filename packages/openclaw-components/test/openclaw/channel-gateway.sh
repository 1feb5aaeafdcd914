#!/usr/bin/env bash
# Real-OpenClaw tier, one chat channel: runs inside a network namespace of its
# own (loopback only), so nothing can reach the real service. Starts the
# channel's stand-in (test/lib/fake-<service>.mjs, given with its arguments;
# its output goes to <out dir>/fake-<channel>.log; `-`: none, for a channel
# that dials nothing) and `openclaw gateway run` (output to <out dir>/gateway.out),
# waits for /readyz, then polls `openclaw health --json` until the channel's
# entry meets CHANNEL_GATEWAY_UNTIL (a jq filter on `.channels.<channel>`;
# default `.connected`) or the deadline passes. Prints `READY <s>` (gateway start to /readyz), then
# `CONNECTED <s>` (to the first health answer with the channel connected, or
# `CONNECTED never`) and the last health answer as the line `HEALTH <json>`.
# With CHANNEL_GATEWAY_THEN naming a bash script, runs it once the channel is
# connected, with the gateway still up (its output to <out dir>/then.out), and
# prints `THEN <exit status>`.
# Both processes are stopped by their PIDs on exit.
# Inputs: the isolation's OpenClaw environment (PATH, HOME, OPENCLAW_*),
# NODE_EXTRA_CA_CERTS naming the test CA, and whatever redirects the channel
# to its stand-in (a config key, or HTTPS_PROXY in the environment; the health
# calls and the /readyz probe go to 127.0.0.1 directly, whatever it says).
# Usage: channel-gateway.sh <channel> <gateway port> <out dir> <fake.mjs> [fake args...]
set -euo pipefail
[ "$#" -ge 4 ] || {
  echo "usage: $0 <channel> <gateway port> <out dir> <fake.mjs> [fake args...]" >&2
  exit 2
}
channel="$1" port="$2" out="$3" fake="$4"
shift 4
[[ "$channel" =~ ^[a-z][a-z0-9-]*$ ]] || {
  echo "channel-gateway.sh: bad channel name: $channel" >&2
  exit 2
}
ip link set lo up
# Loopback never goes through a proxy the environment may name for the channel.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 2
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

if [ "$fake" = - ]; then
  : >"${out}/fake-${channel}.log"
else
  node "$fake" "$@" >"${out}/fake-${channel}.log" 2>&1 &
  pids+=("$!")
fi
until_filter="${CHANNEL_GATEWAY_UNTIL:-.connected}"
openclaw gateway run --tailscale off >"${out}/gateway.out" 2>&1 &
pids+=("$!")

started=$(date +%s)
until curl -fs --noproxy '*' -o /dev/null --max-time 2 "http://127.0.0.1:${port}/readyz"; do
  if [ $(($(date +%s) - started)) -gt 120 ]; then
    echo "READY never"
    exit 1
  fi
  sleep 0.5
done
echo "READY $(($(date +%s) - started))"

health=""
connected=never
while [ $(($(date +%s) - started)) -le 150 ]; do
  health=$(openclaw health --json --timeout 5000 2>/dev/null | sed -n '/^{/,$p' | jq -c '.' 2>/dev/null || true)
  if [ "$(jq -r --arg c "$channel" ".channels[\$c] | (${until_filter}) // false" <<<"${health:-null}")" = true ]; then
    connected=$(($(date +%s) - started))
    break
  fi
  sleep 2
done
echo "CONNECTED ${connected}"
echo "HEALTH ${health:-null}"
if [ -n "${CHANNEL_GATEWAY_THEN:-}" ]; then
  status=0
  bash "$CHANNEL_GATEWAY_THEN" >"${out}/then.out" 2>&1 || status=$?
  echo "THEN ${status}"
fi
