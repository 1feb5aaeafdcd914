#!/usr/bin/env bash
# Host tier: removes what sftp-target-up.sh added (its rules, link and
# namespace), each by name; what is already gone is skipped.
# Environment: SFTP_NS SFTP_IF SFTP_NET PUB_IF HOST_CHAIN
set -uo pipefail

: "${SFTP_NS:?}" "${SFTP_IF:?}" "${SFTP_NET:?}" "${PUB_IF:?}" "${HOST_CHAIN:?}"
iptables -D "$HOST_CHAIN" -o "$SFTP_IF" -d "${SFTP_NET}.2" -p tcp --dport 22 -j ACCEPT 2>/dev/null
iptables -D FORWARD -i "$SFTP_IF" -o "$PUB_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null
iptables -D FORWARD -i "$SFTP_IF" -j REJECT 2>/dev/null
ip link del "$SFTP_IF" 2>/dev/null
ip netns del "$SFTP_NS" 2>/dev/null
exit 0
