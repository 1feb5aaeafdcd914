#!/usr/bin/env bash
# Host tier: runs the SFTP target's sshd (sftp-target-up.sh made its root and
# namespace) in the foreground under systemd-nspawn, not booted: sshd is the
# only program inside, as PID 2, in namespace <netns>. The caller backgrounds
# it and stops it by this PID (stop-host.sh: nspawn kills what runs inside on
# SIGTERM when it did not boot an init).
# Usage: sftp-target-run.sh <root> <netns> <machine-name>
set -euo pipefail

root="$1" ns="$2" machine="$3"
[ -e "/run/netns/${ns}" ] || {
  echo "error: no network namespace ${ns}" >&2
  exit 1
}
exec systemd-nspawn --quiet --as-pid2 --register=no --keep-unit \
  --directory="$root" --machine="$machine" \
  --network-namespace-path="/run/netns/${ns}" \
  --resolv-conf=off --timezone=off \
  /bin/sh -c 'install -d -m 0755 /run/sshd && exec /usr/sbin/sshd -D -e -f /etc/ssh/sftp_target_config'
