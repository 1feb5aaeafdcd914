#!/usr/bin/env bash
# Real-OpenClaw tier: installs the npm package `openclaw@<version>` together
# with the Node runtime it needs (npm package node-linux-<arch>, whose `node`
# lands in node_modules/.bin) into <dir>, offline except for the npm registry.
# Put <dir>/node_modules/.bin first on PATH to run that `openclaw` on that Node.
#
# Install scripts are skipped at install time (they would run on whatever Node
# runs npm, which may be older than OpenClaw's engines range) and run
# afterwards by `npm rebuild` on the installed Node. (npm 11.19 still runs
# scripts that package.json#allowScripts does not list, with a warning.)
#
# Reuses <dir> when its marker file (written last) names the same versions;
# otherwise builds a fresh copy next to it and swaps it in. Concurrent callers
# (parallel test files) serialise on <dir>.lock.
#
# Usage: install-openclaw.sh <openclaw-version> <dir> [<node-version>]
#   <node-version> defaults to 24.21.0 (DEFAULT_NODE_RUNTIME in src/versions.ts;
#   the tests pass it explicitly).
set -euo pipefail

if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
  echo "usage: $0 <openclaw-version> <dir> [<node-version>]" >&2
  exit 2
fi
version="$1" dir="$2" node_version="${3:-24.21.0}"

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *)
    echo "error: no node-linux package for $(uname -m)" >&2
    exit 1
    ;;
esac

for tool in npm flock; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "error: ${tool} is required" >&2
    exit 1
  }
done

marker="${dir}/.openclaw-tier-complete"
want="openclaw@${version} node-linux-${arch}@${node_version}"

mkdir -p "$(dirname "$dir")"
exec 9>"${dir}.lock"
flock 9

if [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ] && [ -x "${dir}/node_modules/.bin/openclaw" ]; then
  echo "openclaw: reusing ${dir} (${want})"
  exit 0
fi

partial="${dir}.partial"
rm -rf "$partial"
trap 'rm -rf "$partial"' EXIT
mkdir -p "$partial"

cat >"${partial}/package.json" <<EOF
{
  "private": true,
  "dependencies": {
    "openclaw": "${version}",
    "node-linux-${arch}": "${node_version}"
  }
}
EOF

echo "openclaw: installing ${want} into ${dir}"
(
  cd "$partial"
  npm install --ignore-scripts --no-audit --no-fund --no-update-notifier --loglevel=error
  # Install scripts, on the Node that was just installed.
  PATH="${partial}/node_modules/.bin:${PATH}" npm rebuild --no-audit --no-fund --loglevel=error
)

got_node=$("${partial}/node_modules/.bin/node" --version)
[ "$got_node" = "v${node_version}" ] || {
  echo "error: installed Node reports ${got_node}, expected v${node_version}" >&2
  exit 1
}
got=$(PATH="${partial}/node_modules/.bin:${PATH}" openclaw --version)
case "$got" in
  *" ${version} "* | *" ${version}") ;;
  *)
    echo "error: installed openclaw reports '${got}', expected ${version}" >&2
    exit 1
    ;;
esac

rm -rf "$dir"
mv "$partial" "$dir"
trap - EXIT
printf '%s\n' "$want" >"$marker"
echo "openclaw: installed ${got} on Node ${got_node}"
