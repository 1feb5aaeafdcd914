#!/usr/bin/env bash
# Test tiers: this machine's IPv4 forwarding, shared between the tiers that
# need it on (the host tier's NAT, the Docker tier's dockerd) and may run at
# the same time. The first holder records the setting it found; the last to
# release puts it back. A tier that turned forwarding off on its own when it
# finished would cut the network of a tier still running.
# Usage: forwarding.sh hold|release <holder-id>   (a holder id: the tier and its PID)
set -euo pipefail

action="$1" holder="$2"
dir=/run/openclaw-test-forwarding
install -d -m 0700 "${dir}/holders"
exec 9>"${dir}/lock"
flock 9

case "$action" in
  hold)
    if [ -z "$(ls -A "${dir}/holders")" ] && [ ! -e "${dir}/before" ]; then
      cat /proc/sys/net/ipv4/ip_forward >"${dir}/before"
    fi
    : >"${dir}/holders/${holder}"
    echo 1 >/proc/sys/net/ipv4/ip_forward
    ;;
  release)
    rm -f "${dir}/holders/${holder}"
    if [ -z "$(ls -A "${dir}/holders")" ] && [ -e "${dir}/before" ]; then
      cat "${dir}/before" >/proc/sys/net/ipv4/ip_forward
      rm -f "${dir}/before"
    fi
    ;;
  *)
    echo "usage: forwarding.sh hold|release <holder-id>" >&2
    exit 2
    ;;
esac
