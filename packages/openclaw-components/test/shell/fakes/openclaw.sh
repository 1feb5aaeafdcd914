#!/usr/bin/env bash
# Behaviour of the fake `openclaw` CLI, for the commands the steps use:
#   --version                      "OpenClaw $FAKE_OPENCLAW_VERSION (fake)"
#   config patch --stdin           deep-merges the JSON on stdin into
#                                  ~/.openclaw/openclaw.json (rejects non-JSON;
#                                  a null deletes its path)
#   models auth paste-token|paste-api-key --provider P
#                                  stores the line from stdin as profile
#                                  P:manual in state/openclaw.sqlite (0600);
#                                  an API key over a token profile is refused,
#                                  as 2026.9.6 does; rewrites openclaw.json the
#                                  way OpenClaw does (default umask: the step
#                                  must chmod it)
#   models auth list --provider P --json, models auth logout <id> --yes
#                                  the profiles (no secrets), after the lines
#                                  of auth-list-preamble if present; fails
#                                  while auth-list-fails exists; logout of an
#                                  absent profile fails, as 2026.9.6's does
#   cron list --all --json         prints $FAKE_STATE/openclaw/cron.json, after
#                                  the lines of cron-list-preamble if present
#   cron add --json ...            upserts by --declaration-key (keeps the id)
#   cron rm --json ... <id>        removes the job
#   config validate --json         {"valid":true}
#   health --json                  ok, with each channel of openclaw.json
#                                  connected (or $FAKE_STATE/openclaw/health.json)
#   plugins list --json            the bundled telegram plugin, and the ones
#                                  installed (state/plugins.json), origin
#                                  global, enabled unless openclaw.json says
#                                  enabled: false
#   plugins install npm:<package>@<version> --pin [--force]
#                                  records <package>'s last path part as the
#                                  id; refuses one already installed without
#                                  --force, as 2026.9.6 does; enables it in
#                                  openclaw.json unless an entry there says
#                                  enabled: false (2026.9.6 keeps that); fails
#                                  while plugins-install-fails exists
#   plugins enable -- <id>         sets its entry's enabled: true
#   plugins uninstall --force -- <id>
#                                  removes it, leaving {"enabled":false} in
#                                  openclaw.json as 2026.9.6 does; an id not
#                                  installed fails
#   security audit --json          prints $FAKE_STATE/openclaw/audit.json, or a
#                                  clean summary
#   backup create --verify --output <dir> --json
#                                  archives ~/.openclaw (manifest + state) into
#                                  <dir>/<stamp>-openclaw-backup.tar.gz after a
#                                  log line; "verified" is false when
#                                  FAKE_BACKUP_UNVERIFIED is set
#   backup verify <archive>        checks the archive is a readable tar.gz
#   backup restore <archive> --target <dir> --json
#                                  unpacks into the (new) target directory
# Needs jq (as the real steps do).
set -euo pipefail
: "${FAKE_STATE:?}" "${HOME:?}"
state="${FAKE_STATE}/openclaw"
mkdir -p "$state"
jobs="${state}/cron.json"
[ -f "$jobs" ] || echo '{"jobs":[],"hasMore":false}' >"$jobs"
config="${HOME}/.openclaw/openclaw.json"

case "${1:-} ${2:-}" in
  "--version "*) echo "OpenClaw ${FAKE_OPENCLAW_VERSION:-0.0.0} (fake)" ;;
  "config patch")
    patch=$(cat)
    jq -e 'type == "object"' >/dev/null 2>&1 <<<"$patch" || {
      echo "Config patch is not a JSON object" >&2
      exit 1
    }
    mkdir -p "$(dirname "$config")"
    # Objects merge, and null deletes a path, as OpenClaw's `config patch` says.
    if [ -f "$config" ]; then
      merged=$(jq -s '.[0] * .[1] | delpaths([paths(. == null)])' "$config" - <<<"$patch")
    else
      merged=$(jq 'delpaths([paths(. == null)])' <<<"$patch")
    fi
    printf '%s\n' "$merged" >"${config}.tmp"
    mv "${config}.tmp" "$config"
    ;;
  "config validate") echo '{"valid":true,"issues":[]}' ;;
  "models auth")
    # Profiles by id ({"<provider>:manual": {provider, type, secret}}), in
    # the state database as 2026.9.6 keeps them: created 0600 in a 0700
    # directory whatever the umask.
    store="${HOME}/.openclaw/state"
    db="${store}/openclaw.sqlite"
    profiles() { if jq -e 'type == "object"' "$db" >/dev/null 2>&1; then cat "$db"; else echo '{}'; fi; }
    save() {
      (
        umask 077
        mkdir -p "$store"
        cat >"${db}.tmp"
      )
      mv "${db}.tmp" "$db"
    }
    provider=""
    [ "${4:-}" = --provider ] && provider="${5:-}"
    case "${3:-}" in
      paste-token | paste-api-key)
        IFS= read -r secret || true
        [ -n "$secret" ] || {
          echo "No token on stdin" >&2
          exit 1
        }
        type=token
        if [ "$3" = paste-api-key ]; then
          type=api_key
          # What 2026.9.6 says when a token sign-in holds the provider's profile.
          if [ "$(profiles | jq -r --arg id "${provider}:manual" '.[$id].type // empty')" = token ]; then
            echo "The API-key profile belongs to another sign-in. Manage that saved sign-in first." >&2
            exit 1
          fi
        fi
        profiles | jq --arg id "${provider}:manual" --arg p "$provider" --arg t "$type" --arg s "$secret" \
          '.[$id] = {provider: $p, type: $t, secret: $s}' | save
        # Pasting also rewrites openclaw.json (auth.profiles), with the default umask.
        if [ -f "$config" ]; then cat "$config" >"${config}.tmp"; else echo '{}' >"${config}.tmp"; fi
        mv "${config}.tmp" "$config"
        ;;
      list)
        if [ -f "${state}/auth-list-fails" ]; then
          echo "Auth store is busy" >&2
          exit 1
        fi
        if [ -f "${state}/auth-list-preamble" ]; then cat "${state}/auth-list-preamble"; fi
        profiles | jq --arg p "$provider" '{profiles: [to_entries[] | select($p == "" or .value.provider == $p) | {id: .key, provider: .value.provider, type: .value.type}]}'
        ;;
      logout)
        id="${4:-}"
        profiles | jq -e --arg id "$id" 'has($id)' >/dev/null || {
          echo "Auth profile \"${id}\" not found for agent \"main\"." >&2
          exit 1
        }
        profiles | jq --arg id "$id" 'del(.[$id])' | save
        ;;
      *) exit 1 ;;
    esac
    ;;
  "health "*)
    # The gateway's own health (the shape 2026.9.6 prints): ok, and each
    # configured channel running and connected; health.json overrides it.
    if [ -f "${state}/health.json" ]; then
      cat "${state}/health.json"
    elif [ -f "$config" ]; then
      jq -c '{ok: true, channels: ((.channels // {}) | map_values(select(.enabled != false)
        | {configured: true, running: true, connected: true, lastError: null}))}' "$config"
    else
      echo '{"ok":true,"channels":{}}'
    fi
    ;;
  "plugins list")
    plugins="${state}/plugins.json"
    [ -f "$plugins" ] || echo '[]' >"$plugins"
    entries='{}'
    if [ -f "$config" ]; then entries=$(jq -c '.plugins.entries // {}' "$config"); fi
    jq --argjson e "$entries" '{plugins: ([{id: "telegram", version: "bundled", origin: "bundled", enabled: true}]
      + map(. + {enabled: ($e[.id].enabled != false)}))}' "$plugins"
    ;;
  "plugins install")
    plugins="${state}/plugins.json"
    [ -f "$plugins" ] || echo '[]' >"$plugins"
    spec="$3" force=0
    shift 3
    for a in "$@"; do if [ "$a" = --force ]; then force=1; fi; done
    if [ -e "${state}/plugins-install-fails" ]; then
      echo "npm install failed" >&2
      exit 1
    fi
    spec="${spec#npm:}"
    version="${spec##*@}"
    package="${spec%@*}"
    id="${package##*/}"
    if [ "$force" -eq 0 ] && jq -e --arg id "$id" 'any(.[]; .id == $id)' "$plugins" >/dev/null; then
      echo "plugin already exists: ${id} (delete it first)" >&2
      exit 1
    fi
    jq --arg id "$id" --arg v "$version" '[.[] | select(.id != $id)] + [{id: $id, version: $v, origin: "global"}]' \
      "$plugins" >"${plugins}.tmp"
    mv "${plugins}.tmp" "$plugins"
    mkdir -p "$(dirname "$config")"
    [ -f "$config" ] || echo '{}' >"$config"
    jq --arg id "$id" 'if .plugins.entries[$id].enabled == false then . else .plugins.entries[$id].enabled = true end' \
      "$config" >"${config}.tmp"
    mv "${config}.tmp" "$config"
    echo "Installed plugin: ${id}"
    ;;
  "plugins enable")
    id="${*: -1}"
    jq --arg id "$id" '.plugins.entries[$id].enabled = true' "$config" >"${config}.tmp"
    mv "${config}.tmp" "$config"
    ;;
  "plugins uninstall")
    plugins="${state}/plugins.json"
    [ -f "$plugins" ] || echo '[]' >"$plugins"
    id="${*: -1}"
    jq -e --arg id "$id" 'any(.[]; .id == $id)' "$plugins" >/dev/null || {
      echo "Plugin \"${id}\" is not associated with a tracked package install." >&2
      exit 1
    }
    jq --arg id "$id" '[.[] | select(.id != $id)]' "$plugins" >"${plugins}.tmp"
    mv "${plugins}.tmp" "$plugins"
    jq --arg id "$id" '.plugins.entries[$id] = {enabled: false}' "$config" >"${config}.tmp"
    mv "${config}.tmp" "$config"
    ;;
  "security audit")
    if [ -f "${state}/audit.json" ]; then
      cat "${state}/audit.json"
    else
      echo '{"summary":{"critical":0,"warn":0,"info":2},"findings":[]}'
    fi
    ;;
  "backup create")
    shift 2
    out="" verified=true
    while [ "$#" -gt 0 ]; do
      case "$1" in
        --output) out="$2" && shift 2 ;;
        *) shift ;;
      esac
    done
    if [ -n "${FAKE_BACKUP_UNVERIFIED:-}" ]; then verified=false; fi
    [ -d "$out" ] || {
      echo "Error: output directory ${out} does not exist" >&2
      exit 1
    }
    # The name OpenClaw gives its archives: <ISO time with - and .ms>+00-00.
    stamp="$(date -u +%Y-%m-%dT%H-%M-%S).$(printf '%03d' $((RANDOM % 1000)))+00-00"
    top="openclaw-backup-${stamp}"
    work=$(mktemp -d)
    mkdir -p "${work}/${top}"
    cp -a "${HOME}/.openclaw" "${work}/${top}/state"
    jq -n --arg s "${HOME}/.openclaw" --arg a "${top}/state" '{assets: [{sourcePath: $s, archivePath: $a}]}' >"${work}/${top}/manifest.json"
    tar -czf "${out}/${stamp}-openclaw-backup.tar.gz" -C "$work" "$top"
    rm -rf "$work"
    echo "[backup] wrote ${out}/${stamp}-openclaw-backup.tar.gz"
    jq -n --arg p "${out}/${stamp}-openclaw-backup.tar.gz" --argjson v "$verified" '{archivePath: $p, verified: $v}'
    ;;
  "backup verify") tar -tzf "$3" >/dev/null ;;
  "backup restore")
    archive="$3" target=""
    shift 3
    while [ "$#" -gt 0 ]; do
      case "$1" in
        --target) target="$2" && shift 2 ;;
        *) shift ;;
      esac
    done
    if [ -e "$target" ]; then
      echo "Error: target ${target} exists" >&2
      exit 1
    fi
    mkdir -p "$target"
    tar -xzf "$archive" -C "$target"
    echo '{"ok":true}'
    ;;
  "cron list")
    if [ -f "${state}/cron-list-preamble" ]; then cat "${state}/cron-list-preamble"; fi
    cat "$jobs"
    ;;
  "cron add")
    shift 2
    key="" name="" expr="" tz="" session="" agent="" message="" channel="" to="" announce=false
    while [ "$#" -gt 0 ]; do
      case "$1" in
        --json) shift ;;
        --announce) announce=true && shift ;;
        --port) shift 2 ;;
        --declaration-key) key="$2" && shift 2 ;;
        --name) name="$2" && shift 2 ;;
        --name=*) name="${1#--name=}" && shift ;;
        --cron) expr="$2" && shift 2 ;;
        --tz) tz="$2" && shift 2 ;;
        --session) session="$2" && shift 2 ;;
        --agent) agent="$2" && shift 2 ;;
        --message) message="$2" && shift 2 ;;
        --message=*) message="${1#--message=}" && shift ;;
        --channel) channel="$2" && shift 2 ;;
        --channel=*) channel="${1#--channel=}" && shift ;;
        --to) to="$2" && shift 2 ;;
        --to=*) to="${1#--to=}" && shift ;;
        *)
          echo "fake openclaw: unknown cron add option $1" >&2
          exit 1
          ;;
      esac
    done
    id=$(jq -r --arg k "$key" '[.jobs[] | select(.declarationKey == $k) | .id] | first // empty' "$jobs")
    if [ -z "$id" ]; then id="job-$(($(jq '.jobs | length' "$jobs") + 1))-$RANDOM"; fi
    jq --arg id "$id" --arg k "$key" --arg n "$name" --arg e "$expr" --arg tz "$tz" --arg s "$session" \
      --arg a "$agent" --arg m "$message" --arg c "$channel" --arg to "$to" --argjson ann "$announce" '
      .jobs = ([.jobs[] | select(.id != $id)] + [{id: $id, declarationKey: $k, name: $n, agentId: $a,
        schedule: {kind: "cron", expr: $e, tz: $tz}, sessionTarget: $s, payload: {kind: "agentTurn", message: $m},
        delivery: {mode: (if $ann then "announce" else "none" end), channel: $c, to: $to}}])' "$jobs" >"${jobs}.tmp"
    mv "${jobs}.tmp" "$jobs"
    jq -c --arg id "$id" '.jobs[] | select(.id == $id)' "$jobs"
    ;;
  "cron rm")
    id="${!#}"
    jq -e --arg id "$id" 'any(.jobs[]; .id == $id)' "$jobs" >/dev/null || {
      echo "No such job: ${id}" >&2
      exit 1
    }
    jq --arg id "$id" '.jobs = [.jobs[] | select(.id != $id)]' "$jobs" >"${jobs}.tmp"
    mv "${jobs}.tmp" "$jobs"
    echo '{"ok":true}'
    ;;
  *)
    echo "fake openclaw: unsupported command: $*" >&2
    exit 1
    ;;
esac
