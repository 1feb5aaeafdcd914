#!/usr/bin/env bash
# Host tier: between a halt and the next boot of the test host, puts the
# packet filter of its network namespace back to a freshly booted kernel's
# (empty tables, ACCEPT policies), as a real reboot does. Otherwise the UFW
# rules of the previous boot would still be there and prove nothing.
# Usage: reset-netns-firewall.sh <netns>
set -euo pipefail

ns="$1"
for tool in iptables ip6tables; do
  for table in filter nat mangle raw; do
    ip netns exec "$ns" "$tool" -t "$table" -F 2>/dev/null || true
    ip netns exec "$ns" "$tool" -t "$table" -X 2>/dev/null || true
  done
  for chain in INPUT FORWARD OUTPUT; do ip netns exec "$ns" "$tool" -P "$chain" ACCEPT; done
done
left=$(ip netns exec "$ns" iptables-save | grep -c '^-A' || true)
[ "$left" -eq 0 ] || {
  echo "error: ${left} rules left in ${ns}" >&2
  exit 1
}
echo "firewall of ${ns}: empty"
