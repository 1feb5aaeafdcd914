#!/usr/bin/env bash
# Host tier: builds (once) the stand-in for nodejs.org's release archive
# node-v<version>-linux-<arch>.tar.gz, which the install-openclaw step
# downloads from `nodeRuntime.distBaseUrl` and checks against
# `nodeRuntime.sha256`. nodejs.org is out of reach here, so the archive is made
# in the official layout (top directory node-v<version>-linux-<arch>/ with
# bin/node, bin/npm, bin/npx, include/, share/, lib/node_modules/npm) from the
# same Node binary the repo runs on (npm package node-linux-<arch>) plus the
# npm release that Node bundles, from the npm registry.
# Writes <dist-dir>/v<version>/node-v<version>-linux-<arch>.tar.gz (kept when
# present) and prints its SHA-256 on stdout.
# Usage: make-node-dist.sh <node-linux-package-dir> <version> <npm-version> <dist-dir>
set -euo pipefail

pkg="$1" version="$2" npm_version="$3" dist="$4"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *)
    echo "error: unsupported CPU architecture $(uname -m)" >&2
    exit 1
    ;;
esac
name="node-v${version}-linux-${arch}"
archive="${dist}/v${version}/${name}.tar.gz"

if [ ! -s "$archive" ]; then
  got=$("${pkg}/bin/node" --version)
  [ "$got" = "v${version}" ] || {
    echo "error: ${pkg}/bin/node is ${got}, expected v${version}" >&2
    exit 1
  }
  work=$(mktemp -d)
  trap 'rm -rf "$work" "${archive}.partial"' EXIT
  tree="${work}/${name}"
  # Same tree as the Docker tier's; its progress line goes to stderr.
  bash "$(dirname "${BASH_SOURCE[0]}")/../lib/make-node-tree.sh" "$pkg" "$npm_version" "$tree" >&2
  cp -a "${pkg}/LICENSE" "${pkg}/README.md" "${pkg}/CHANGELOG.md" "$tree/" 2>/dev/null || true
  install -d -m 0755 "${dist}/v${version}"
  tar --owner=0 --group=0 --numeric-owner --sort=name -C "$work" -czf "${archive}.partial" "$name"
  mv "${archive}.partial" "$archive"
  echo "node dist: built ${archive} ($(du -h "$archive" | cut -f1))" >&2
else
  echo "node dist: reusing ${archive}" >&2
fi
sha256sum "$archive" | cut -d' ' -f1
