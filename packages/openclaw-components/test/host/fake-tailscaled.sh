#!/usr/bin/env bash
# Host tier: the stand-in for tailscaled, installed as /usr/sbin/tailscaled and
# run by a tailscaled.service shaped like the real package's. It owns nothing
# (tailscale0 is made by the test before the host boots): it only marks itself
# alive for the fake CLI while it runs.
set -euo pipefail

alive=/run/tailscale/fake-tailscaled.alive
install -d -m 0755 /run/tailscale
# Foreground `tailscale serve` sessions of any user record their config here.
install -d -m 1777 /run/tailscale/fake-serve
printf '%s\n' "$$" >"$alive"
trap 'rm -f "$alive"; exit 0' TERM INT
while :; do
  sleep 3600 &
  wait $!
done
