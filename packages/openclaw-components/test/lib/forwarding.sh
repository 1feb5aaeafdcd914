#!/usr/bin/env bash
# Test tiers: this machine's IPv4 forwarding, shared between the tiers that
# need it on (the host tier's NAT, the Docker tier's dockerd) and may run at
# the same time. The first holder records the setting it found; the last to
# release puts it back. A tier that turned forwarding off on its own when it
# finished would cut the network of a tier still running.
# A hold records the PID of the test process that owns it
# (OPENCLAW_TEST_OWNER_PID, when set): a holder whose owner is gone (a run
# killed before its release) is dropped by the next hold or release, so it
# cannot keep forwarding on, or the recorded setting, forever.
# Usage: forwarding.sh hold|release <holder-id>   (a holder id: the tier and its PID)
# Environment (for its own test only): OPENCLAW_FORWARDING_DIR (state,
# default /run/openclaw-test-forwarding), OPENCLAW_FORWARDING_SETTING (the
# setting, default /proc/sys/net/ipv4/ip_forward).
set -euo pipefail

action="$1" holder="$2"
dir="${OPENCLAW_FORWARDING_DIR:-/run/openclaw-test-forwarding}"
setting="${OPENCLAW_FORWARDING_SETTING:-/proc/sys/net/ipv4/ip_forward}"
install -d -m 0700 "${dir}/holders"
exec 9>"${dir}/lock"
flock 9

for file in "${dir}/holders"/*; do
  [ -f "$file" ] || continue
  owner=$(cat "$file")
  if [[ "$owner" =~ ^[0-9]+$ ]] && ! kill -0 "$owner" 2>/dev/null; then
    echo "forwarding.sh: dropping the hold of $(basename "$file"): its test process (PID ${owner}) is gone" >&2
    rm -f "$file"
  fi
done

case "$action" in
  hold)
    if [ -z "$(ls -A "${dir}/holders")" ] && [ ! -e "${dir}/before" ]; then
      cat "$setting" >"${dir}/before"
    fi
    printf '%s\n' "${OPENCLAW_TEST_OWNER_PID:-}" >"${dir}/holders/${holder}"
    echo 1 >"$setting"
    ;;
  release)
    rm -f "${dir}/holders/${holder}"
    if [ -z "$(ls -A "${dir}/holders")" ] && [ -e "${dir}/before" ]; then
      cat "${dir}/before" >"$setting"
      rm -f "${dir}/before"
    fi
    ;;
  *)
    echo "usage: forwarding.sh hold|release <holder-id>" >&2
    exit 2
    ;;
esac
