#!/usr/bin/env bash
# Behaviour of the fake `systemctl` (called by record.sh's rule with the
# arguments): a tiny stateful systemd. A unit is enabled/active when the file
# $FAKE_STATE/systemd/<scope>/<unit>.enabled|.active exists (scope: system or
# user); a started unit gets <unit>.mainpid (4242 unless seeded), a stopped one
# loses it; `show --property=<P> --value` prints the file <unit>.<P> (MainPID:
# <unit>.mainpid, default 0; LoadState: "loaded" for a unit enabled or
# started, else "not-found"; other properties: empty when absent).
# Tests seed the state by creating those files.
set -euo pipefail
: "${FAKE_STATE:?}"

scope=system quiet=0 now=0 property="" verb=""
units=()
for a in "$@"; do
  case "$a" in
    --user) scope=user ;;
    --quiet | -q) quiet=1 ;;
    --now) now=1 ;;
    --property=*) property="${a#--property=}" ;;
    --value | --no-pager | --no-block) ;;
    -*) ;;
    *) if [ -z "$verb" ]; then verb="$a"; else units+=("$a"); fi ;;
  esac
done
dir="${FAKE_STATE}/systemd/${scope}"
mkdir -p "$dir"
say() { if [ "$quiet" -eq 0 ]; then printf '%s\n' "$*"; fi; }
# is-active / is-enabled: says <yes> when every unit has <unit>.<suffix>,
# else says <no> and exits with systemctl's <code> for it.
all_units() { # <suffix> <yes> <no> <code>
  local u
  for u in "${units[@]}"; do
    if [ ! -e "${dir}/${u}.$1" ]; then
      say "$3"
      exit "$4"
    fi
  done
  say "$2"
}

# An active unit has a main process: MainPID 4242 unless a test set one.
started() {
  touch "${dir}/$1.active"
  [ -f "${dir}/$1.mainpid" ] || echo 4242 >"${dir}/$1.mainpid"
}

case "$verb" in
  is-active) all_units active active inactive 3 ;;
  is-enabled) all_units enabled enabled disabled 1 ;;
  enable)
    for u in "${units[@]}"; do
      touch "${dir}/${u}.enabled"
      if [ "$now" -eq 1 ]; then started "$u"; fi
    done
    ;;
  disable) for u in "${units[@]}"; do rm -f "${dir}/${u}.enabled"; done ;;
  start | restart | reload | try-restart)
    for u in "${units[@]}"; do
      if [ -e "${dir}/${u}.broken" ]; then
        echo "Job for ${u} failed because the control process exited with error code." >&2
        exit 1
      fi
      started "$u"
    done
    ;;
  stop) for u in "${units[@]}"; do rm -f "${dir}/${u}.active" "${dir}/${u}.mainpid"; done ;;
  daemon-reload) date +%s%N >>"${dir}/daemon-reloads" ;;
  show)
    for u in "${units[@]}"; do
      if [ "$property" = MainPID ]; then
        if [ -f "${dir}/${u}.mainpid" ]; then cat "${dir}/${u}.mainpid"; else echo 0; fi
      elif [ "$property" = LoadState ] && [ ! -f "${dir}/${u}.LoadState" ]; then
        # systemd's "not-found" for a unit with no file; here, one never enabled nor started.
        if [ -e "${dir}/${u}.enabled" ] || [ -e "${dir}/${u}.active" ]; then echo loaded; else echo not-found; fi
      elif [ -f "${dir}/${u}.${property}" ]; then
        cat "${dir}/${u}.${property}"
      else
        echo
      fi
    done
    ;;
  *)
    echo "fake systemctl: unsupported verb '${verb}'" >&2
    exit 1
    ;;
esac
