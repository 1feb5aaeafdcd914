#!/usr/bin/env bash
# Docker tier: what dockerd adds to this machine's network (its docker0
# bridge, the rules for it, its DOCKER* chains in filter and nat, a FORWARD
# policy of DROP), and its removal. Sourced by start-dockerd.sh and
# stop-dockerd.sh.

# remove_docker_network <before-file>: removes what dockerd added that
# <before-file> does not list as there before ("link docker0", "chain <table>
# <name>", and "policy <policy>" to put back).
remove_docker_network() {
  local before="$1" table chain policy
  local -a chains ours
  if ! grep -qx "link docker0" "$before"; then
    # The bridge, and the rules dockerd added for it (forwarding, masquerade).
    for table in filter nat; do
      # awk, not grep: a table with no such rule is not a failure under pipefail.
      iptables -t "$table" -S | awk '/^-A / && / docker0( |$)/ { sub(/^-A /, "-D "); print }' |
        while read -r rule; do
          # shellcheck disable=SC2086 # iptables -S prints a rule as words
          iptables -t "$table" $rule
        done
    done
    if ip link show docker0 >/dev/null 2>&1; then ip link del docker0; fi
  fi
  for table in filter nat; do
    mapfile -t chains < <(iptables -t "$table" -S | sed -n 's/^-N \(DOCKER.*\)/\1/p')
    [ "${#chains[@]}" -gt 0 ] || continue
    ours=()
    for chain in "${chains[@]}"; do
      grep -qx "chain ${table} ${chain}" "$before" || ours+=("$chain")
    done
    [ "${#ours[@]}" -gt 0 ] || continue
    # Every rule that jumps to one of them goes first, then the chains.
    for chain in "${ours[@]}"; do
      iptables -t "$table" -S | awk -v j="-j ${chain}" '/^-A / && (index($0, j " ") || substr($0, length($0) - length(j) + 1) == j) { sub(/^-A /, "-D "); print }' |
        while read -r rule; do
          # shellcheck disable=SC2086 # iptables -S prints a rule as words
          iptables -t "$table" $rule
        done
    done
    for chain in "${ours[@]}"; do iptables -t "$table" -F "$chain"; done
    for chain in "${ours[@]}"; do iptables -t "$table" -X "$chain"; done
  done
  policy=$(sed -n 's/^policy //p' "$before")
  if [ -n "$policy" ]; then iptables -P FORWARD "$policy"; fi
}

