#!/usr/bin/env bash
# Step "verify": checks, on the host, that the deployment is what it should
# be, prints a readable report, then the report as one JSON line, and fails
# (naming the failing checks) when any check fails. Changes nothing.
# Inputs (environment): OPENCLAW_GATEWAY_PORT, OPENCLAW_VERSION, OPENCLAW_NODE_VERSION,
# OPENCLAW_VERIFY_NODE_NAME (the server's name, or its full tailnet DNS name),
# OPENCLAW_VERIFY_SANDBOX_IMAGE (empty: no sandbox), OPENCLAW_VERIFY_SCHEDULE_KEYS
# (JSON array of declaration keys; empty: no Telegram), OPENCLAW_VERIFY_CHANNELS
# (JSON array of the chat channels that must be connected), OPENCLAW_VERIFY_MODEL_PROVIDERS
# (the providers whose credential OpenClaw must hold), OPENCLAW_VERIFY_SYNC_TIMER
# ("yes"/"no"), OPENCLAW_VERIFY_AGENT_SYNC_TIMERS (JSON array of the agents'
# sync timers that must be active), OPENCLAW_VERIFY_BACKUP_TIMER ("yes"/"no"), OPENCLAW_VERIFY_INPUTS (what the other steps applied; only
# makes this step run again after a change).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_GATEWAY_PORT:?}" "${OPENCLAW_VERSION:?}" "${OPENCLAW_NODE_VERSION:?}" "${OPENCLAW_VERIFY_NODE_NAME:?}"
: "${OPENCLAW_VERIFY_SYNC_TIMER:?}"
sandbox_image="${OPENCLAW_VERIFY_SANDBOX_IMAGE:-}"
schedule_keys="${OPENCLAW_VERIFY_SCHEDULE_KEYS:-}"
port="$OPENCLAW_GATEWAY_PORT"

results=()  # one JSON object per check
failed=()
check() { # <name> <ok|fail> <detail>
  local status="$2"
  printf '%-4s %-22s %s\n' "$([ "$status" = ok ] && echo PASS || echo FAIL)" "$1" "$3"
  results+=("$(jq -cn --arg name "$1" --arg status "$status" --arg detail "$3" '{name: $name, ok: ($status == "ok"), detail: $detail}')")
  if [ "$status" != ok ]; then failed+=("$1"); fi
}
verdict() { if "$@" >/dev/null 2>&1; then echo ok; else echo fail; fi; }

say "verifying $(hostname)"

# The slow questions, asked together: each OpenClaw CLI call is a Node
# start-up of seconds, and no answer depends on another. The checks below
# read the answers in their own order.
answers=$(mktemp -d)
trap 'rm -rf "$answers"' EXIT
ask() { # <name> <command…>: runs in the background; its stdout becomes the answer
  local name="$1"
  shift
  "$@" >"${answers}/${name}" 2>/dev/null &
}
answer() { cat "${answers}/$1" 2>/dev/null || true; }
ask health openclaw health --json --timeout 5000
if [ -n "${OPENCLAW_VERIFY_MODEL_PROVIDERS:-}" ]; then ask auth openclaw models auth list --json; fi
ask version openclaw --version
ask audit openclaw security audit --json
if [ -n "$schedule_keys" ]; then ask cron openclaw cron list --all --json --port "$port"; fi

# Tailnet: the only way in. Only stdout is JSON (the CLI warns on stderr).
ts=$(tailscale status --json 2>/dev/null | json_only || true)
ts_field() { jq -r "$@" <<<"$ts" 2>/dev/null || true; }
state=$(ts_field '.BackendState // "unknown"')
check tailnet "$([ "${state:-unknown}" = Running ] && echo ok || echo fail)" "BackendState ${state:-unknown}"

# The node's own name: this server's, not "<name>-1" (a stale node holding
# the name), and when its key expires (a tagged node's key does not).
dns=$(ts_field '.Self.DNSName // "" | rtrimstr(".")')
want="$OPENCLAW_VERIFY_NODE_NAME"
case "$want" in *.*) got="$dns" ;; *) got="${dns%%.*}" ;; esac
expiry=$(ts_field '.Self.KeyExpiry // "never (key expiry off)"')
check "tailnet name" "$([ -n "$dns" ] && [ "$got" = "$want" ] && echo ok || echo fail)" \
  "${dns:-no name}, expected ${want}; node key expires ${expiry:-?}"

# MagicDNS and HTTPS certificates: what the tailnet URL needs.
magic=$(ts_field '.CurrentTailnet.MagicDNSEnabled // false')
# shellcheck disable=SC2016 # $d is jq's
cert=$(ts_field --arg d "$dns" 'any((.CertDomains // [])[]; . == $d)')
check "magicdns https" "$([ "$magic" = true ] && [ "$cert" = true ] && echo ok || echo fail)" \
  "MagicDNS $([ "$magic" = true ] && echo on || echo off); HTTPS certificate for ${dns:-?}: $([ "$cert" = true ] && echo yes || echo no)"

# Tailscale Serve: HTTPS on the tailnet name proxies to a loopback listener of
# the gateway process itself (OpenClaw runs Serve in the foreground, so the
# route sits under Foreground, and points it at its own ingress port, which
# checks the tailnet identity, not at gateway.port).
proxy=$(tailscale serve status --json 2>/dev/null | json_only |
  jq -r --arg hp "${dns}:443" '[., (.Foreground // {})[]] | map(select(.TCP["443"].HTTPS // false)
    | .Web[$hp].Handlers["/"].Proxy // empty) | first // empty' 2>/dev/null || true)
serve_port=$(sed -n 's#^http://\(127\.0\.0\.1\|localhost\|\[::1\]\):\([0-9][0-9]*\)/\{0,1\}$#\2#p' <<<"$proxy")
gateway_pid=$(systemctl --user show openclaw-gateway.service --property=MainPID --value 2>/dev/null || echo 0)
serve_owner=""
if [ -n "$serve_port" ]; then
  serve_owner=$(ss -H -ltnp "sport = :${serve_port}" 2>/dev/null | grep -o 'pid=[0-9]*' | sed -n '1s/pid=//p' || true)
fi
check "tailscale serve" "$([ -n "$serve_owner" ] && [ "$serve_owner" = "${gateway_pid:-0}" ] && echo ok || echo fail)" \
  "https://${dns:-?}/ to ${proxy:-no route}$([ -n "$serve_port" ] && printf ' (listener pid %s, gateway pid %s)' "${serve_owner:-none}" "${gateway_pid:-0}")"

# Host firewall: active, deny incoming, only tailscale0 allowed in.
ufw_status=$(sudo ufw status verbose 2>/dev/null || true)
ufw_rules=$(printf '%s\n' "$ufw_status" | sed -n '/^--/,$p' | sed '1d' | sed '/^$/d')
ufw_ok=fail
if grep -q '^Status: active' <<<"$ufw_status" && grep -q 'deny (incoming)' <<<"$ufw_status" &&
  [ -n "$ufw_rules" ] && [ -z "$(grep -v ' on tailscale0' <<<"$ufw_rules" || true)" ]; then
  ufw_ok=ok
fi
check firewall "$ufw_ok" "$(grep -c . <<<"$ufw_rules" || true) rule(s), all on tailscale0 when PASS"

# No public listener: every TCP listener is on loopback or the tailnet,
# except sshd (port 22), which UFW and the Hetzner firewall keep private.
public=$(ss -H -ltn | awk '{print $4}' | grep -Ev '^(127\.[0-9.]+|\[::1\]|\[?::ffff:127\.[0-9.]+\]?|100\.[0-9.]+|\[fd7a:115c:a1e0:[0-9a-f:]*\]):[0-9]+$' | grep -Ev ':22$' || true)
check "no public listener" "$([ -z "$public" ] && echo ok || echo fail)" "${public:-only loopback, tailnet and sshd}"
gateway_listen=$(ss -H -ltn "sport = :${port}" | awk '{print $4}' | tr '\n' ' ')
loopback_only=fail
other_listen=$(tr ' ' '\n' <<<"$gateway_listen" | sed '/^$/d' | grep -Ev '^(127\.0\.0\.1|\[::1\]):' || true)
if [ -n "$gateway_listen" ] && [ -z "$other_listen" ]; then loopback_only=ok; fi
check "gateway on loopback" "$loopback_only" "${gateway_listen:-nothing listens on ${port}}"

check "service active" "$(verdict systemctl --user is-active openclaw-gateway.service)" "openclaw-gateway.service"
check "service enabled" "$(verdict systemctl --user is-enabled openclaw-gateway.service)" "starts with the user manager"
linger=$(loginctl show-user "$(id -un)" --property=Linger --value 2>/dev/null || echo no)
check linger "$([ "$linger" = yes ] && echo ok || echo fail)" "Linger=${linger}"
check readyz "$(verdict curl -fsS --max-time 5 "http://127.0.0.1:${port}/readyz")" "http://127.0.0.1:${port}/readyz"

modes="$(stat -c %a "$OPENCLAW_HOME" 2>/dev/null || echo missing)/$(stat -c %a "${OPENCLAW_HOME}/openclaw.json" 2>/dev/null || echo missing)"
exposed=$(exposed_secret_files -printf '%P %m\n' 2>/dev/null | sort | head -5 | paste -sd, - | sed 's/,/, /g' || true)
check "config permissions" "$([ "$modes" = 700/600 ] && [ -z "$exposed" ] && echo ok || echo fail)" \
  "${OPENCLAW_HOME} ${modes%/*}, openclaw.json ${modes#*/}${exposed:+; readable by others: ${exposed}}"

node_version=$(node --version 2>/dev/null || echo missing)
check "node version" "$([ "$node_version" = "v${OPENCLAW_NODE_VERSION}" ] && echo ok || echo fail)" \
  "${node_version} (pinned v${OPENCLAW_NODE_VERSION})"

# The gateway's own view, and each chat channel's connection.
wait # every answer is in
health=$(answer health | json_only || true)
check "openclaw health" "$([ "$(jq -r '.ok // false' <<<"$health" 2>/dev/null)" = true ] && echo ok || echo fail)" \
  "openclaw health: $(jq -r 'if .ok == true then "ok" else "not ok" end' <<<"$health" 2>/dev/null || echo "no answer")"
while IFS= read -r channel; do
  [ -n "$channel" ] || continue
  status=$(jq -r --arg c "$channel" '.channels[$c] | if . == null then "not configured"
    elif .running == true and .connected == true then "connected"
    elif .linked == false then "not linked: link the account once, over SSH on this host: openclaw channels login --channel \($c)"
    else "not connected (\(.lastError // "no error reported"))" end' <<<"${health:-null}" 2>/dev/null || true)
  [ -n "$health" ] || status="no answer from the gateway"
  check "${channel} channel" "$([ "$status" = connected ] && echo ok || echo fail)" "${channel}: ${status}"
done < <(jq -r '.[]' <<<"${OPENCLAW_VERIFY_CHANNELS:-[]}")

# Model credentials: OpenClaw holds the profile configure-gateway stored for
# each declared provider (without one, every request to that provider fails).
if [ -n "${OPENCLAW_VERIFY_MODEL_PROVIDERS:-}" ]; then
  profiles=$(answer auth | json_only || true)
  with=() without=()
  for provider in $OPENCLAW_VERIFY_MODEL_PROVIDERS; do
    if printf '%s\n' "$profiles" | jq -e --arg id "${provider}:manual" 'any(.profiles[]?; .id == $id)' >/dev/null 2>&1; then
      with+=("$provider")
    else
      without+=("$provider")
    fi
  done
  check "model credentials" "$([ "${#without[@]}" -eq 0 ] && echo ok || echo fail)" \
    "${with[*]:+held: ${with[*]}}${without[*]:+${with[*]:+; }missing: ${without[*]}}"
fi

version=$(answer version)
version="${version:-unknown}"
check "openclaw version" "$(case "$version" in *"$OPENCLAW_VERSION"*) echo ok ;; *) echo fail ;; esac)" "${version} (pinned ${OPENCLAW_VERSION})"

audit=$(answer audit | json_only || true)
critical=$(jq -r '.summary.critical // "?"' <<<"$audit" 2>/dev/null || echo "?")
warn=$(jq -r '.summary.warn // "?"' <<<"$audit" 2>/dev/null || echo "?")
info=$(jq -r '.summary.info // "?"' <<<"$audit" 2>/dev/null || echo "?")
check "security audit" "$([ "$critical" = 0 ] && [ "$warn" = 0 ] && echo ok || echo fail)" "${critical} critical · ${warn} warn · ${info} info"

if [ -n "$sandbox_image" ]; then
  check "sandbox image" "$(verdict docker image inspect "$sandbox_image")" "$sandbox_image"
  check "metadata blocked" "$(verdict sudo iptables -w -C DOCKER-USER -d 169.254.169.254/32 -j REJECT --reject-with icmp-port-unreachable)" "DOCKER-USER rejects 169.254.169.254"
fi

if [ -n "$schedule_keys" ]; then
  have=$(answer cron | json_only | jq -c '[.jobs[].declarationKey // empty]' 2>/dev/null || echo '[]')
  missing=$(jq -rn --argjson want "$schedule_keys" --argjson have "$have" '$want - $have | join(", ")')
  check schedules "$([ -z "$missing" ] && echo ok || echo fail)" "$(jq -rn --argjson w "$schedule_keys" '$w | length') declared${missing:+; missing: ${missing}}"
fi

if [ "$OPENCLAW_VERIFY_SYNC_TIMER" = yes ]; then
  check "workspace sync timer" "$(verdict systemctl --user is-active openclaw-workspace-sync.timer)" "openclaw-workspace-sync.timer"
fi
agent_timers="${OPENCLAW_VERIFY_AGENT_SYNC_TIMERS:-[]}"
if [ "$(jq 'length' <<<"$agent_timers")" -gt 0 ]; then
  inactive=()
  while IFS= read -r timer; do
    systemctl --user is-active --quiet "$timer" || inactive+=("$timer")
  done < <(jq -r '.[]' <<<"$agent_timers")
  check "agent sync timers" "$([ "${#inactive[@]}" -eq 0 ] && echo ok || echo fail)" \
    "$(($(jq 'length' <<<"$agent_timers") - ${#inactive[@]})) active${inactive[*]:+; inactive: ${inactive[*]}}"
fi

if [ "${OPENCLAW_VERIFY_BACKUP_TIMER:-no}" = yes ]; then
  newest=$(find "${HOME}/backups" -maxdepth 1 -type f -name '*-openclaw-backup.tar.gz' -printf '%T@\n' 2>/dev/null | sort -rn | sed -n 1p || true)
  if [ -n "$newest" ]; then
    age="newest archive $(( ($(date +%s) - ${newest%.*}) / 3600 )) h old"
  else
    age="no archive yet (the first runs on schedule)"
  fi
  check "state backups" "$(verdict systemctl --user is-active openclaw-backup.timer)" "openclaw-backup.timer; ${age}"
fi

if [ "${OPENCLAW_VERIFY_OFF_SERVER:-no}" = yes ]; then
  # The repository answers and holds a snapshot; its age is reported.
  latest=$("${HOME}/.local/lib/openclaw-infra/openclaw-off-server.sh" latest 2>&1) || true
  taken=$(jq -r '.time // empty' <<<"$latest" 2>/dev/null || true)
  if [ -n "$taken" ] && taken_s=$(date -d "$taken" +%s 2>/dev/null); then
    check "off-server backup" ok "newest snapshot $(jq -r '.short_id' <<<"$latest") $(( ($(date +%s) - taken_s) / 3600 )) h old"
  else
    check "off-server backup" fail "$(tail -n 1 <<<"${latest:-no answer}" | sed 's/^{}$/no snapshot yet/')"
  fi
  # The repository's password and login key: closed to everyone but the admin.
  off="${HOME}/.config/openclaw-infra/off-server"
  loose=$(find "$off" -maxdepth 1 -perm /077 -printf '%P %m\n' 2>/dev/null | sed 's/^ /. /' | sort | paste -sd, - | sed 's/,/, /g' || true)
  check "off-server permissions" "$([ -d "$off" ] && [ -z "$loose" ] && echo ok || echo fail)" \
    "${off} $(stat -c %a "$off" 2>/dev/null || echo missing)${loose:+; readable by others: ${loose}}"
fi

printf '%s\n' "${results[@]}" | jq -cs --arg host "$(hostname)" '{host: $host, ok: all(.[]; .ok), checks: .}'
if [ "${#failed[@]}" -gt 0 ]; then
  fail "verification failed on $(hostname): $(IFS=,; printf '%s' "${failed[*]}" | sed 's/,/, /g')"
fi
finish
