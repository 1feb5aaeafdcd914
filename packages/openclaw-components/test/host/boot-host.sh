#!/usr/bin/env bash
# Host tier: boots the test host: systemd as PID 1 under systemd-nspawn, in
# the network namespace netns-up.sh made (never this machine's network), with
# the capabilities iptables (UFW) needs there, and the keyring system calls
# nspawn's default filter denies but a VM allows: runc gives every Docker
# container a session keyring (the sandbox runs Docker inside the host; see
# writable-cgroups.sh for the other half). Runs in the foreground (exec:
# the caller's child *is* systemd-nspawn, so its PID is the one stop-host.sh
# takes); the caller backgrounds it with the console going to a log file.
# Exit status: 0 after a halt/poweroff inside, 133 after a reboot inside.
# Usage: boot-host.sh <root> <netns> <machine-name>
set -euo pipefail

root="$1" ns="$2" machine="$3"
[ -e "/run/netns/${ns}" ] || {
  echo "error: no network namespace ${ns}" >&2
  exit 1
}
exec systemd-nspawn --boot --quiet \
  --register=no --keep-unit \
  --directory="$root" --machine="$machine" \
  --network-namespace-path="/run/netns/${ns}" \
  --capability=CAP_NET_ADMIN,CAP_NET_RAW \
  --system-call-filter='add_key keyctl request_key' \
  --resolv-conf=copy-host --timezone=copy \
  --console=read-only
