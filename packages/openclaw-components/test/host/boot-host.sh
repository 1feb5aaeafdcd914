#!/usr/bin/env bash
# Host tier: boots the test host: systemd as PID 1 under systemd-nspawn, in
# the network namespace netns-up.sh made (never this machine's network), with
# the capabilities iptables (UFW) needs there, and the keyring system calls
# nspawn's default filter denies but a VM allows: runc gives every Docker
# container a session keyring (the sandbox runs Docker inside the host; see
# writable-cgroups.sh for the other half). /proc/sys/net is writable inside,
# as it is for root on a VM: nspawn mounts /proc/sys read-only when it is
# handed a network namespace (--network-namespace-path does not count as a
# private network for that rule), and dockerd then cannot turn on IP
# forwarding in the host's own namespace ("Error initializing network
# controller: ... Enabling IP forwarding failed: open
# /proc/sys/net/ipv4/ip_forward: read-only file system") and exits. Only the
# network part: the namespace is the host's own, the rest of /proc/sys is the
# kernel's and stays read-only. Runs in the foreground (exec:
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
SYSTEMD_NSPAWN_API_VFS_WRITABLE=network exec systemd-nspawn --boot --quiet \
  --register=no --keep-unit \
  --directory="$root" --machine="$machine" \
  --network-namespace-path="/run/netns/${ns}" \
  --capability=CAP_NET_ADMIN,CAP_NET_RAW \
  --system-call-filter='add_key keyctl request_key' \
  --resolv-conf=copy-host --timezone=copy \
  --console=read-only
