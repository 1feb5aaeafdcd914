#!/usr/bin/env bash
# CPU-seconds per machine-tier test file: runs `vitest run --project machine`
# (extra arguments are passed on, e.g. a path) with each file's worker, and
# everything it starts, in a cgroup of its own (see
# packages/openclaw-components/test/setup/cpu-by-file.ts), then prints a
# table, most first, and removes the cgroups. Root only; cgroup v2, or v1's
# cpuacct. The figures scale with how fast the machine is at that moment:
# compare two variants run back to back, not with an older run.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "cpu-by-test-file: needs root (it creates cgroups)" >&2; exit 1; }
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  base=/sys/fs/cgroup
  usage() { awk '$1 == "usage_usec" { printf "%.1f", $2 / 1e6 }' "$1/cpu.stat"; }
elif [ -d /sys/fs/cgroup/cpuacct ]; then
  base=/sys/fs/cgroup/cpuacct
  usage() { awk '{ printf "%.1f", $1 / 1e9 }' "$1/cpuacct.usage"; }
else
  echo "cpu-by-test-file: neither cgroup v2 nor v1's cpuacct is mounted under /sys/fs/cgroup" >&2
  exit 1
fi
parent="${base}/openclaw-cpu-by-file.$$"
mkdir "$parent"
# On exit, deepest first (a file's cgroup may hold ones its processes made,
# dockerd's); one that still holds a process stays, and is named.
trap 'find "$parent" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  [ ! -d "$parent" ] || echo "cpu-by-test-file: ${parent} still holds a process; remove it when that ends" >&2' EXIT
status=0
OPENCLAW_TEST_CPU_CGROUP="$parent" npx vitest run --project machine "$@" || status=$?
printf '%10s  %s\n' "CPU-s" "test file"
while IFS= read -r dir; do
  printf '%10s  %s\n' "$(usage "$dir")" "${dir##*/}"
done < <(find "$parent" -mindepth 1 -maxdepth 1 -type d) | sort -rn
printf '%10s  %s\n' "$(usage "$parent")" "all files"
exit "$status"
