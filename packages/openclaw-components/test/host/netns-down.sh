#!/usr/bin/env bash
# Host tier: removes exactly what netns-up.sh added for $TAG (each part only if
# present, so it also cleans up after a half-done set-up), and releases its
# hold on this machine's forwarding.
# Environment: TAG NS TS_IF PUB_IF PUB_NET UPLINK STATE_DIR
set -uo pipefail

: "${TAG:?}" "${NS:?}" "${TS_IF:?}" "${PUB_IF:?}" "${PUB_NET:?}" "${UPLINK:?}" "${STATE_DIR:?}"
chain="OCH-${TAG}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

while iptables -t nat -C POSTROUTING -s "${PUB_NET}.0/24" -o "$UPLINK" -j MASQUERADE 2>/dev/null; do
  iptables -t nat -D POSTROUTING -s "${PUB_NET}.0/24" -o "$UPLINK" -j MASQUERADE
done
while iptables -C FORWARD -o "$PUB_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null; do
  iptables -D FORWARD -o "$PUB_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
done
if iptables -nL "$chain" >/dev/null 2>&1; then
  while iptables -C FORWARD -i "$PUB_IF" -j "$chain" 2>/dev/null; do
    iptables -D FORWARD -i "$PUB_IF" -j "$chain"
  done
  iptables -F "$chain"
  iptables -X "$chain"
fi
for link in "$TS_IF" "$PUB_IF"; do
  if ip link show "$link" >/dev/null 2>&1; then ip link del "$link"; fi
done
if [ -e "/run/netns/${NS}" ]; then ip netns del "$NS"; fi
# Back as it was once no other tier needs it (forwarding.sh).
bash "${here}/../lib/forwarding.sh" release "host-tier-${TAG}"
echo "network ${NS}: removed"
