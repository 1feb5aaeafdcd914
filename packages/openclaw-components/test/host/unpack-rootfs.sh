#!/usr/bin/env bash
# Host tier: unpacks a fresh copy of the cached root filesystem into <root>,
# which must not hold one yet (a test host's disk, or the SFTP target's).
# Usage: unpack-rootfs.sh <rootfs-tarball> <root>
set -euo pipefail

tarball="$1" root="$2"
[ ! -e "${root}/etc" ] || {
  echo "error: ${root} is not empty" >&2
  exit 1
}
install -d -m 0755 "$root"
tar --numeric-owner --xattrs --acls -C "$root" -xf "$tarball"
# A mktemp -d root is 0700: sshd's StrictModes and dbus then fail as non-root.
chmod 0755 "$root"
