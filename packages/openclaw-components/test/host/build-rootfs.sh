#!/usr/bin/env bash
# Host tier: builds (once) and caches the root filesystem of the test host, a
# stand-in for a fresh Hetzner Ubuntu 24.04 cloud image: Debian bookworm with
# systemd as init, the packages such an image ships (openssh-server, sudo, ufw,
# iptables, cloud-init, curl, git, ca-certificates, ...) and what the user
# manager and cloud-init's modules need (libpam-systemd, dbus-user-session, a
# generated locale). Not included on purpose: jq (the install-openclaw step
# installs it with apt, as on a fresh image), tailscale (a fake is added per
# run) and docker.io.
#
# The mirror is the one this machine's apt uses, read at run time. The result
# is a tarball named after a hash of this script, so any change here rebuilds.
# Prints the tarball's path on the last line of stdout.
# Usage: build-rootfs.sh <cache-dir>
set -euo pipefail

cache_dir="$1"
suite=bookworm
arch=$(dpkg --print-architecture)
packages=(
  systemd systemd-sysv dbus libpam-systemd dbus-user-session
  openssh-server openssh-client sudo ufw iptables iproute2 netbase
  cloud-init python3-cffi-backend locales tzdata
  curl ca-certificates git procps less
)
self_hash=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)
tarball="${cache_dir}/rootfs-${suite}-${arch}-${self_hash}.tar"

if [ -s "$tarball" ]; then
  echo "rootfs: reusing ${tarball}" >&2
  printf '%s\n' "$tarball"
  exit 0
fi

# shellcheck source=SCRIPTDIR/../lib/debian-mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/debian-mirror.sh"

install -d -m 0755 "$cache_dir"
rootfs="${cache_dir}/rootfs.partial"
log="${cache_dir}/debootstrap.log"
cleanup() {
  if [ -d "$rootfs" ]; then
    # A failed chroot step may leave these mounted.
    for m in proc sys dev/pts dev; do umount -l "${rootfs}/${m}" 2>/dev/null || true; done
    rm -rf "$rootfs"
  fi
  rm -f "${tarball}.partial"
}
trap cleanup EXIT
cleanup

mirror=$(host_mirror "$suite")
echo "rootfs: debootstrap --variant=minbase ${suite} (${arch}) with ${#packages[@]} packages from this machine's apt mirror" >&2
include=$(
  IFS=,
  printf '%s' "${packages[*]}"
)
debootstrap --variant=minbase --arch="$arch" --include="$include" "$suite" "$rootfs" "$mirror" >"$log" 2>&1 || {
  tail -n 40 "$log" >&2
  echo "error: debootstrap failed (log above, whole log in ${log})" >&2
  exit 1
}

# Like a cloud image: a generated locale for cloud-init's locale module, a
# persistent journal (/var/log/journal, as Ubuntu's images have: what is logged
# survives a reboot), no machine id, hostname or SSH host keys of its own (the
# first boot makes them), no package caches.
sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' "${rootfs}/etc/locale.gen"
chroot "$rootfs" locale-gen >>"$log" 2>&1
chroot "$rootfs" update-locale LANG=en_US.UTF-8 >>"$log" 2>&1
install -d -m 2755 -g 0 "${rootfs}/var/log/journal"
: >"${rootfs}/etc/machine-id"
rm -f "${rootfs}/var/lib/dbus/machine-id" "${rootfs}/etc/hostname" "${rootfs}/etc/ssh/ssh_host_"*
rm -rf "${rootfs}/var/lib/apt/lists/"* "${rootfs}/var/cache/apt/"*.bin "${rootfs}/var/cache/apt/archives/"*.deb
# Every unpacked copy must be entered as 0755 (sshd's StrictModes, dbus).
chmod 0755 "$rootfs"

tar --numeric-owner --xattrs --acls -C "$rootfs" -cf "${tarball}.partial" .
mv "${tarball}.partial" "$tarball"
# Older builds of this script are of no use any more.
find "$cache_dir" -maxdepth 1 -name "rootfs-${suite}-${arch}-*.tar" ! -name "$(basename "$tarball")" -delete
echo "rootfs: built ${tarball} ($(du -h "$tarball" | cut -f1))" >&2
printf '%s\n' "$tarball"
