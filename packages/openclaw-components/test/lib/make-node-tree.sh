#!/usr/bin/env bash
# Assembles a Node install tree in the official archive's layout: the Docker
# tier copies it into the sandbox build context (as a host would), and the
# host tier packs it as the release archive its hosts download. A host has the official nodejs.org archive
# under /opt/openclaw/node-v<version> (bin/ include/ lib/ share/, npm in
# lib/node_modules); nodejs.org is out of reach here, so the tree is made from
# the same Node binary the repo runs on (npm package node-linux-<arch>, which
# has no npm) plus the npm release that Node version bundles, from the npm
# registry, laid out like the official archive. Cached in <out-dir>.
# Usage: make-node-tree.sh <node-linux-package-dir> <npm-version> <out-dir>
set -euo pipefail

pkg="$1" npm_version="$2" out="$3"

if [ -x "${out}/bin/node" ] && [ -e "${out}/bin/npm" ]; then
  echo "node tree: reusing ${out}"
  exit 0
fi

partial="${out}.partial"
rm -rf "$partial"
install -d -m 0755 "${partial}/bin" "${partial}/lib/node_modules/npm"
trap 'rm -rf "$partial"' EXIT

cp -a "${pkg}/bin/node" "${partial}/bin/node"
for dir in include share; do
  if [ -d "${pkg}/${dir}" ]; then cp -a "${pkg}/${dir}" "${partial}/${dir}"; fi
done

tgz=$(cd "$partial" && npm pack --silent "npm@${npm_version}")
tar -xzf "${partial}/${tgz}" -C "${partial}/lib/node_modules/npm" --strip-components=1 --no-same-owner
rm -f "${partial}/${tgz}"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "${partial}/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "${partial}/bin/npx"

got=$(PATH="${partial}/bin:${PATH}" npm --version)
[ "$got" = "$npm_version" ] || {
  echo "error: the assembled npm reports ${got}, expected ${npm_version}" >&2
  exit 1
}
rm -rf "$out"
mv -T "$partial" "$out"
echo "node tree: $("${out}/bin/node" --version) with npm ${npm_version} in ${out}"
