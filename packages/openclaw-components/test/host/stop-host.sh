#!/usr/bin/env bash
# Host tier: halts a test host by the PID of its systemd-nspawn (SIGTERM makes
# nspawn shut the container's systemd down cleanly), killing it after
# <timeout> seconds. Only that systemd-nspawn and the container's own init
# (its child) are ever signalled.
# Usage: stop-host.sh <nspawn-pid> [<timeout-seconds>]
set -euo pipefail

pid="$1" timeout="${2:-90}"
alive() { [ -r "/proc/$1/cmdline" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
ours() { alive "$pid" && tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -q '^systemd-nspawn '; }
ours || {
  echo "host (nspawn PID ${pid}) is not running"
  exit 0
}
# The container's init: killing it ends everything in its PID namespace.
init_pid=$(awk '{ print $1 }' "/proc/${pid}/task/${pid}/children" 2>/dev/null || true)
kill -TERM "$pid"
for _ in $(seq 1 $((timeout * 2))); do
  ours || {
    echo "host (nspawn PID ${pid}) halted"
    exit 0
  }
  sleep 0.5
done
echo "warning: host (nspawn PID ${pid}) did not halt within ${timeout}s; killing it" >&2
if [ -n "$init_pid" ] && alive "$init_pid"; then kill -KILL "$init_pid" 2>/dev/null || true; fi
kill -KILL "$pid" 2>/dev/null || true
for _ in $(seq 1 20); do
  ours || exit 0
  sleep 0.5
done
echo "error: systemd-nspawn PID ${pid} survived SIGKILL" >&2
exit 1
