#!/usr/bin/env bash
# Host tier: the test host's own network, never this machine's. Creates
# network namespace $NS with two veth pairs whose inner ends are renamed:
#   tailscale0  $TS_NET.2/24  (the tailnet stand-in; the test reaches the host
#               through $TS_IF, $TS_NET.1, on this machine's side)
#   eth0        $PUB_NET.2/24 (the "public" side; default route via $PUB_NET.1
#               on $PUB_IF, where the test serves the Node archive and the
#               fake Bot API)
# and NATs the public side out of this machine the way Docker does for its
# bridge (MASQUERADE, forwarding on), but only to what the host needs from the
# outside: DNS to this machine's resolvers ($ALLOW_DNS) and HTTP(S) to the
# package registries' addresses ($ALLOW_WEB); every other forwarded packet is
# rejected, link-local (the metadata address) first of all. Nothing is ever
# sent to 169.254.169.254.
# Everything added is named after $TAG so netns-down.sh removes exactly it.
# Environment: TAG NS TS_IF PUB_IF TS_NET PUB_NET UPLINK ALLOW_DNS ALLOW_WEB STATE_DIR
set -euo pipefail

: "${TAG:?}" "${NS:?}" "${TS_IF:?}" "${PUB_IF:?}" "${TS_NET:?}" "${PUB_NET:?}" "${UPLINK:?}" "${STATE_DIR:?}"
: "${ALLOW_DNS:=}" "${ALLOW_WEB:=}"
chain="OCH-${TAG}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

install -d -m 0700 "$STATE_DIR"

ip netns add "$NS"
# A new namespace takes IPv4 forwarding from this machine's as it is at this
# moment (net.core.devconf_inherit_init_net=0): on if Docker or an earlier
# test turned it on, off on a fresh machine. Set it to what a fresh server
# has, so every run starts alike and the host's own dockerd turns it on, as
# it does on the server.
ip netns exec "$NS" sh -c 'echo 0 >/proc/sys/net/ipv4/ip_forward'
ip netns exec "$NS" ip link set lo up

# A veth pair: <outer> stays here with <net>.1, its peer moves into the
# namespace as <inner> with <net>.2.
veth_into_ns() { # <outer> <inner> <net>
  local outer="$1" inner="$2" net="$3"
  ip link add "$outer" type veth peer name "${outer}i"
  ip link set "${outer}i" netns "$NS"
  ip netns exec "$NS" ip link set "${outer}i" name "$inner"
  ip addr add "${net}.1/24" dev "$outer"
  ip link set "$outer" up
  ip netns exec "$NS" ip addr add "${net}.2/24" dev "$inner"
  ip netns exec "$NS" ip link set "$inner" up
}
veth_into_ns "$TS_IF" tailscale0 "$TS_NET"
veth_into_ns "$PUB_IF" eth0 "$PUB_NET"
ip netns exec "$NS" ip route add default via "${PUB_NET}.1" dev eth0

# Forwarding from the public side, filtered, then masqueraded.
iptables -N "$chain"
iptables -A "$chain" -d 169.254.0.0/16 -j REJECT
for ip in $ALLOW_DNS; do
  iptables -A "$chain" -o "$UPLINK" -d "$ip" -p udp --dport 53 -j ACCEPT
  iptables -A "$chain" -o "$UPLINK" -d "$ip" -p tcp --dport 53 -j ACCEPT
done
for ip in $ALLOW_WEB; do
  iptables -A "$chain" -o "$UPLINK" -d "$ip" -p tcp -m multiport --dports 80,443 -j ACCEPT
done
iptables -A "$chain" -j REJECT
iptables -I FORWARD 1 -i "$PUB_IF" -j "$chain"
iptables -I FORWARD 1 -o "$PUB_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -t nat -I POSTROUTING 1 -s "${PUB_NET}.0/24" -o "$UPLINK" -j MASQUERADE
bash "${here}/../lib/forwarding.sh" hold "host-tier-${TAG}"
echo "network ${NS}: tailscale0 ${TS_NET}.2, eth0 ${PUB_NET}.2 (NAT via ${UPLINK} to: ${ALLOW_WEB:-nothing})"
