#!/usr/bin/env bash
# Keeps sandbox containers away from the cloud metadata service, which serves
# the server's user-data (with the Tailscale auth key) to anyone who asks.
# Run as root by openclaw-metadata-block.service each time Docker starts:
# Docker (re)creates its chains on start, so the rule is re-asserted after it.
# Idempotent: inserts the rule only when it is missing.
set -euo pipefail

metadata=169.254.169.254/32
rule=(-d "$metadata" -j REJECT --reject-with icmp-port-unreachable)

# Docker creates DOCKER-USER and jumps to it from FORWARD; create it if this
# runs first so the rule is in place either way.
iptables -w -N DOCKER-USER 2>/dev/null || true
if ! iptables -w -C DOCKER-USER "${rule[@]}" 2>/dev/null; then
  iptables -w -I DOCKER-USER 1 "${rule[@]}"
  echo "metadata block: rule inserted"
else
  echo "metadata block: rule present"
fi
