#!/usr/bin/env bash
# Host tier: run inside the test host as root (nsenter ... bash -s <pattern>).
# Kills a remote step half-way, as a crash would: finds the newest process
# whose command line contains <pattern>, walks up to the step's shell (the
# process whose parent is the SSH session's sshd), and SIGKILLs that shell and
# every process below it at once. Prints the PIDs it killed.
# Usage: kill-step.sh <pattern>
set -euo pipefail

pattern="$1"
table=$(ps -eo pid=,ppid=,args=)
# This script's own command line holds the pattern too: skip it and its children.
target=$(awk -v p="$pattern" -v self="$$" '$1 != self && $2 != self && index($0, p) { pid = $1 } END { print pid }' <<<"$table")
[ -n "$target" ] || {
  echo "no process matches: ${pattern}" >&2
  exit 1
}
parent_of() { awk -v pid="$1" '$1 == pid { print $2 }' <<<"$table"; }
args_of() { awk -v pid="$1" '$1 == pid { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' <<<"$table"; }

shell="$target"
while :; do
  up=$(parent_of "$shell")
  if [ -z "$up" ] || [ "$up" = 1 ] || [ "$up" = 0 ]; then
    echo "no sshd session above PID ${target}" >&2
    exit 1
  fi
  case "$(args_of "$up")" in sshd:*) break ;; esac
  shell="$up"
done

victims=("$shell")
i=0
while [ "$i" -lt "${#victims[@]}" ]; do
  while read -r child; do victims+=("$child"); done < <(awk -v pid="${victims[$i]}" '$2 == pid { print $1 }' <<<"$table")
  i=$((i + 1))
done
kill -KILL "${victims[@]}" 2>/dev/null || true
echo "killed ${victims[*]}"
