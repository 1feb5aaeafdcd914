#!/usr/bin/env bash
# Prepended to every remote step (see remote/step.ts): strict mode, the
# environment a non-login SSH command lacks, and small helpers the steps share.
set -euo pipefail

# Non-login SSH commands get neither a user-bus address nor /usr/local/bin
# first on PATH.
XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}"
export XDG_RUNTIME_DIR
export PATH="/usr/local/bin:${PATH:-/usr/bin:/bin}"

OPENCLAW_HOME="${HOME}/.openclaw"
# Hashes of what the library last applied, so a re-run can tell "unchanged".
INFRA_STATE_DIR="${OPENCLAW_HOME}/.infra"
STEP_CHANGED=0

say() { printf '==> %s\n' "$*"; }
fail() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}
mark_changed() { STEP_CHANGED=1; }

ensure_state_dirs() {
  install -d -m 0700 "$OPENCLAW_HOME" "$INFRA_STATE_DIR"
  chmod 0700 "$OPENCLAW_HOME"
}

# Reads a recorded hash (empty when none).
marker_get() {
  local file="${INFRA_STATE_DIR}/$1.sha256"
  if [ -f "$file" ]; then cat "$file"; fi
}
marker_set() {
  ensure_state_dirs
  printf '%s\n' "$2" >"${INFRA_STATE_DIR}/$1.sha256"
  chmod 0600 "${INFRA_STATE_DIR}/$1.sha256"
}
# OpenClaw's files that hold secrets (the config with the gateway token, the
# state database with the auth profiles and sessions, key files, older
# releases' per-agent auth profiles) that group or others can read; extra
# find arguments act on them. The workspace is the agent's, not a store, and
# OpenClaw's lock databases (*.lock.sqlite, *-lock.sqlite, *-writer.sqlite, in
# tmp/ and beside each store) hold no secret and are made 0644.
exposed_secret_files() {
  find "$OPENCLAW_HOME" -maxdepth 4 \( -path "${OPENCLAW_HOME}/workspace*" -o -path "${OPENCLAW_HOME}/tmp" \) -prune -o -type f \
    \( -name 'openclaw.json*' -o -name '*.sqlite' -o -name '*.sqlite-*' -o -name '*.key' -o -name 'auth-profiles.json' \) \
    ! \( -name '*.lock.sqlite' -o -name '*-lock.sqlite' -o -name '*-writer.sqlite' \
    -o -name '*.lock.sqlite-*' -o -name '*-lock.sqlite-*' -o -name '*-writer.sqlite-*' \) -perm /077 "$@"
}
sha256_of_stdin() {
  local sum
  sum=$(sha256sum)
  printf '%s' "${sum%% *}"
}

# Writes a file only when its content differs (marks the step changed then).
# Content comes as an argument to this function and reaches the file through a
# builtin printf on stdin, so it is never on an external command's argv.
# Usage: install_text [--root] <path> <mode> <content>; returns 1 if unchanged.
install_text() {
  local sudo=()
  if [ "$1" = "--root" ]; then
    sudo=(sudo)
    shift
  fi
  local path="$1" mode="$2" content="$3"
  if "${sudo[@]}" test -f "$path" && [ "$("${sudo[@]}" cat "$path")" = "$content" ]; then
    "${sudo[@]}" chmod "$mode" "$path" || fail "cannot set mode ${mode} on ${path}"
    return 1
  fi
  # Callers use `if install_text` or `|| true`, which turns off set -e in
  # here: every write checks its own result.
  "${sudo[@]}" mkdir -p "$(dirname "$path")" || fail "cannot create $(dirname "$path")"
  printf '%s\n' "$content" | "${sudo[@]}" install -m "$mode" /dev/stdin "$path" || fail "cannot write ${path}"
  mark_changed
}

# The paths under $HOME that match <glob> (the library's own patterns, never
# an argument's value), relative to $HOME, one per line; nothing when none do.
home_glob() {
  local match
  for match in "${HOME}"/$1; do
    if [ -e "$match" ] || [ -L "$match" ]; then printf '%s\n' "${match#"${HOME}/"}"; fi
  done
}

# Stops, disables and deletes a systemd user unit, given as its file under
# $HOME; the caller reloads the user manager once after its last removal.
remove_user_unit() {
  systemctl --user disable --now "${1##*/}" >/dev/null 2>&1 || true
  rm -f "${HOME:?}/$1"
  mark_changed
}

# Whether <patch> is the last patch applied under <name> (and the config exists).
config_patch_current() {
  local name="$1" patch="$2"
  ensure_state_dirs
  [ -f "${OPENCLAW_HOME}/openclaw.json" ] &&
    [ "$(marker_get "config-${name}")" = "$(printf '%s\n' "$patch" | sha256_of_stdin)" ]
}

# Applies a JSON config patch with OpenClaw's own `config patch`, which
# validates the result (schema, model ids) before writing and merges with what
# other steps applied. Skipped when this patch was the last one applied under
# this name. The patch text may hold secrets: it goes on stdin, never argv.
# Usage: apply_config_patch <name> <patch> [<declared>]: with <declared>, the
# patch applied is <patch> (the declared part plus deletions the live config
# needs) and the marker records <declared>, so a re-run finds it current.
apply_config_patch() {
  local name="$1" patch="$2" want
  ensure_state_dirs
  want=$(printf '%s\n' "${3-$patch}" | sha256_of_stdin)
  if config_patch_current "$name" "${3-$patch}"; then return 0; fi
  say "applying the ${name} config patch"
  printf '%s\n' "$patch" | openclaw config patch --stdin >/dev/null ||
    fail "openclaw rejected the ${name} config (the live config is unchanged)"
  chmod 0600 "${OPENCLAW_HOME}/openclaw.json"
  marker_set "config-${name}" "$want"
  mark_changed
}

# OpenClaw's --json output from the first line that opens the document: some
# versions print "[tag] ..." log lines before it on stdout.
json_only() { sed -n '/^{/,$p'; }

# Polls the gateway's /readyz until it answers (0) or the deadline passes (1).
gateway_ready() {
  local port="$1" timeout="${2:-180}" waited=0
  # -f without -S: a gateway still starting is not an error worth a log line.
  until curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:${port}/readyz"; do
    [ "$waited" -lt "$timeout" ] || return 1
    sleep 2
    waited=$((waited + 2))
  done
  say "gateway ready after ${waited}s"
}

# Waits for the gateway; on failure prints the service journal's tail so the
# error says why, and fails the step.
wait_for_gateway() {
  local port="$1" timeout="${2:-180}"
  say "waiting for the gateway on 127.0.0.1:${port}/readyz (up to ${timeout}s)"
  if ! gateway_ready "$port" "$timeout"; then
    printf 'error: the gateway did not become ready within %ss; last journal lines:\n' "$timeout" >&2
    journalctl --user -u openclaw-gateway.service -n 40 --no-pager >&2 || true
    exit 1
  fi
}

# Restarts the gateway if it is running (a config or binary change), then
# waits for it. Does nothing before the service step has installed it.
restart_gateway_if_running() {
  local port="$1"
  if systemctl --user is-active --quiet openclaw-gateway.service; then
    say "restarting openclaw-gateway"
    systemctl --user restart openclaw-gateway.service
    wait_for_gateway "$port"
  fi
}

# Last line of every step: what it did, for humans and for the tests.
finish() {
  if [ "$STEP_CHANGED" -eq 1 ]; then echo "changed"; else echo "unchanged"; fi
}
