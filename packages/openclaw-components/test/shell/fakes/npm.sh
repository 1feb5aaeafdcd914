#!/usr/bin/env bash
# Behaviour of the fake `npm`: `npm install --global --prefix <dir> ... <pkg>@<version>`
# "installs" <pkg> as <dir>/bin/<pkg> (a copy of wrapper.sh, so it records
# under its own name) and <dir>/lib/node_modules/<pkg>/package.json.
set -euo pipefail
: "${FAKE_FAKES:?}"
[ "${1:-}" = install ] || {
  echo "fake npm: unsupported command ${1:-}" >&2
  exit 1
}
shift
prefix="" spec=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2" && shift 2 ;;
    -*) shift ;;
    *) spec="$1" && shift ;;
  esac
done
if [ -z "$prefix" ] || [ -z "$spec" ]; then
  echo "fake npm: need --prefix and a package spec" >&2
  exit 1
fi
pkg="${spec%@*}" version="${spec##*@}"
mkdir -p "${prefix}/bin" "${prefix}/lib/node_modules/${pkg}"
cp "${FAKE_FAKES}/wrapper.sh" "${prefix}/bin/${pkg}"
chmod 0755 "${prefix}/bin/${pkg}"
printf '{"name":"%s","version":"%s"}\n' "$pkg" "$version" >"${prefix}/lib/node_modules/${pkg}/package.json"
echo "added 1 package in 0.1s"
