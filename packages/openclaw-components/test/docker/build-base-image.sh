#!/usr/bin/env bash
# Docker tier: builds the stand-in for Docker Hub's debian:bookworm-slim, which
# this machine cannot pull. A minbase debootstrap of bookworm from the mirror
# this machine's apt uses (read at run time from its sources) is cached as a
# tarball and reused; each import adds this machine's extra CA certificates so
# that containers trust its HTTPS egress (apt's ca-certificates package picks
# them up from /usr/local/share/ca-certificates, Node via NODE_EXTRA_CA_CERTS).
# Usage: build-base-image.sh <cache-dir> <work-dir> <tag>
# Environment: DOCKER_HOST (the test's own dockerd), DOCKER (CLI, optional:
# the host tier passes its in-host-docker.sh).
set -euo pipefail

cache_dir="$1" work_dir="$2" tag="$3"
docker_cli="${DOCKER:-docker}"
suite=bookworm
arch=$(dpkg --print-architecture)
tarball="${cache_dir}/debian-${suite}-minbase-${arch}.tar"

# shellcheck source=SCRIPTDIR/../lib/debian-mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/debian-mirror.sh"

install -d -m 0755 "$cache_dir"
rootfs=$(mktemp -d "${work_dir}/rootfs.XXXXXX")
trap 'rm -rf "$rootfs"' EXIT
# The Docker and host tiers share this cache and may run at once: one builds,
# the other waits for the finished tarball.
exec 9>"${tarball}.lock"
flock 9

if [ -s "$tarball" ]; then
  echo "base image: reusing cached root filesystem ${tarball}"
else
  mirror=$(host_mirror "$suite")
  echo "base image: debootstrap --variant=minbase ${suite} (${arch}) from this machine's apt mirror"
  debootstrap --variant=minbase --arch="$arch" "$suite" "$rootfs" "$mirror" >"${work_dir}/debootstrap.log" 2>&1 || {
    tail -n 40 "${work_dir}/debootstrap.log" >&2
    echo "error: debootstrap failed (log above)" >&2
    exit 1
  }
  # Like the real slim image: no package lists or caches in the image.
  rm -rf "${rootfs}/var/lib/apt/lists/"* "${rootfs}/var/cache/apt/"*.bin "${rootfs}/var/cache/apt/archives/"*.deb
  tar --numeric-owner --xattrs -C "$rootfs" -cf "${tarball}.partial" . || {
    rm -f "${tarball}.partial"
    exit 1
  }
  mv "${tarball}.partial" "$tarball"
  rm -rf "$rootfs"
  mkdir "$rootfs"
fi

tar --numeric-owner --xattrs -C "$rootfs" -xf "$tarball"
# This machine's extra CAs (its HTTPS egress proxy): the image's
# ca-certificates package, installed by the base Dockerfile, bundles them.
install -d -m 0755 "${rootfs}/usr/local/share/ca-certificates"
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$crt" ] || continue
  install -m 0644 "$crt" "${rootfs}/usr/local/share/ca-certificates/"
done

tar --numeric-owner --xattrs -C "$rootfs" -c . | "$docker_cli" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["bash"]' \
  - "$tag" >/dev/null
echo "base image: imported as ${tag}"
