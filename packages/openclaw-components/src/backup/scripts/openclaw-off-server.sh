#!/usr/bin/env bash
# The off-server restic repository that install-backup-timer set up in
# ~/.config/openclaw-infra/off-server (0700): settings.json (repository,
# transport and retention), password, and the login: for SFTP a key, an SSH
# config and the pinned host keys; for S3 an AWS credentials file. restic
# reads the password and the S3 key from their files; nothing secret is on
# argv or in the environment.
# Installed on the host; used by openclaw-backup.sh, openclaw-restore.sh,
# verify and the install step, and safe to run by hand.
# Usage:
#   openclaw-off-server.sh login                    set up this directory (see below), installing restic if missing
#   openclaw-off-server.sh ensure                   make the repository unless it exists
#   openclaw-off-server.sh push <archive>           store one archive as a snapshot, then apply the retention
#   openclaw-off-server.sh latest                   the newest snapshot as JSON ({} when there is none)
#   openclaw-off-server.sh fetch <snapshot> <file>  write a snapshot's archive ("latest" for the newest) to <file>
#   openclaw-off-server.sh snapshots                list the snapshots
# `login` takes what install-backup-timer and restore-state are given: the
# settings (OPENCLAW_OFF_SERVER_SETTINGS, JSON with .transport "sftp" or
# "s3"; for SFTP OPENCLAW_OFF_SERVER_SSH_CONFIG and
# OPENCLAW_OFF_SERVER_KNOWN_HOSTS) in the environment, and on stdin the
# repository password on line 1, then the SFTP login key or the S3
# credentials file. It writes each file only when it differs.
set -euo pipefail

dir="${OPENCLAW_OFF_SERVER_DIR:-${HOME}/.config/openclaw-infra/off-server}"
name=openclaw-state.tar.gz
tag=openclaw-state
die() {
  printf 'openclaw-off-server: error: %s\n' "$*" >&2
  exit 1
}

# Writes <content> to <file> in the directory (0600) unless it holds it already.
put() {
  local path="${dir}/$1"
  if [ -f "$path" ] && [ "$(cat "$path")" = "$2" ]; then
    chmod 0600 "$path" || die "cannot set mode 0600 on ${path}"
    return 0
  fi
  if ! (umask 077 && printf '%s\n' "$2" >"${path}.new" && mv -f -- "${path}.new" "$path"); then
    die "cannot write ${path}"
  fi
}
if [ "${1:-}" = login ]; then
  : "${OPENCLAW_OFF_SERVER_SETTINGS:?}"
  transport=$(jq -r '.transport' <<<"$OPENCLAW_OFF_SERVER_SETTINGS")
  IFS= read -r password || true
  login=$(cat)
  [ -n "$password" ] || die "no off-server repository password on stdin"
  [ -n "$login" ] || die "no off-server login on stdin"
  if ! command -v restic >/dev/null 2>&1; then
    printf 'openclaw-off-server: installing restic\n'
    sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q
    sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q restic
  fi
  # Only the directory itself is closed: install -d -m would also chmod its existing parents (~/.config).
  mkdir -p "$dir"
  chmod 0700 "$dir"
  put password "$password"
  # Each transport's own files; the other one's go, so a switch leaves no login behind.
  case "$transport" in
    sftp)
      : "${OPENCLAW_OFF_SERVER_SSH_CONFIG:?}" "${OPENCLAW_OFF_SERVER_KNOWN_HOSTS:?}"
      put id_ed25519 "$login"
      put ssh_config "$OPENCLAW_OFF_SERVER_SSH_CONFIG"
      put known_hosts "$OPENCLAW_OFF_SERVER_KNOWN_HOSTS"
      rm -f -- "${dir}/s3_credentials"
      ;;
    s3)
      put s3_credentials "$login"
      rm -f -- "${dir}/id_ed25519" "${dir}/ssh_config" "${dir}/known_hosts"
      ;;
    *) die "off-server settings name no known transport: ${transport}" ;;
  esac
  unset password login
  put settings.json "$OPENCLAW_OFF_SERVER_SETTINGS"
  exit 0
fi

[ -f "${dir}/settings.json" ] || die "off-server backups are not set up on this host (no ${dir}/settings.json)"
command -v restic >/dev/null 2>&1 || die "restic is not installed"
setting() { jq -er "$1" "${dir}/settings.json" || die "${dir}/settings.json has no $1"; }
RESTIC_REPOSITORY=$(setting .repository)
RESTIC_PASSWORD_FILE="${dir}/password"
export RESTIC_REPOSITORY RESTIC_PASSWORD_FILE
case "$(setting .transport)" in
  sftp)
    # restic's SFTP backend runs this command; the server, port, account and
    # host keys come from the SSH config file, not from this line.
    repo() { restic --quiet -o sftp.command="ssh -F ${dir}/ssh_config openclaw-backup-target -s sftp" "$@"; }
    ;;
  s3)
    # restic takes the first credentials it finds: its environment's (AWS_*
    # and MINIO_* in several spellings), then this file's, then a cloud's
    # metadata service. Only the file counts here.
    [ -s "${dir}/s3_credentials" ] || die "no S3 credentials at ${dir}/s3_credentials"
    while IFS= read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^(AWS|MINIO)_' || true)
    export AWS_SHARED_CREDENTIALS_FILE="${dir}/s3_credentials"
    region=$(jq -r '.region // empty' "${dir}/settings.json")
    repo() { restic --quiet ${region:+-o "s3.region=${region}"} "$@"; }
    ;;
  *) die "${dir}/settings.json names no known transport" ;;
esac

case "${1:-}" in
  ensure)
    if ! out=$(repo cat config 2>&1 >/dev/null); then
      # restic 0.14 says so in words; 0.17 and later also exit 10.
      case "$out" in
        *"Is there a repository"* | *"repository does not exist"*) ;;
        *) die "cannot open the repository ${RESTIC_REPOSITORY}: ${out}" ;;
      esac
      repo init >/dev/null || die "cannot create the repository ${RESTIC_REPOSITORY}"
      printf 'openclaw-off-server: created the repository %s\n' "$RESTIC_REPOSITORY"
    fi
    ;;
  push)
    archive="${2:?usage: openclaw-off-server.sh push <archive>}"
    [ -f "$archive" ] || die "no archive at ${archive}"
    summary=$(repo backup --json --stdin --stdin-filename "$name" --tag "$tag" <"$archive" | jq -c 'select(.message_type == "summary")')
    id=$(jq -r '.snapshot_id // empty' <<<"$summary")
    [ -n "$id" ] || die "restic stored no snapshot"
    repo forget --tag "$tag" --prune \
      --keep-daily "$(setting .keepDaily)" --keep-weekly "$(setting .keepWeekly)" --keep-monthly "$(setting .keepMonthly)" \
      >/dev/null || die "restic could not apply the retention"
    printf 'openclaw-off-server: snapshot %s (%s bytes added) in %s\n' "${id:0:8}" \
      "$(jq -r '.data_added // 0' <<<"$summary")" "$RESTIC_REPOSITORY"
    ;;
  latest)
    repo snapshots --json --tag "$tag" --latest 1 | jq -c 'max_by(.time) // {}'
    ;;
  fetch)
    snapshot="${2:?usage: openclaw-off-server.sh fetch <snapshot|latest> <file>}"
    file="${3:?usage: openclaw-off-server.sh fetch <snapshot|latest> <file>}"
    (
      umask 077
      repo dump --tag "$tag" "$snapshot" "/${name}" >"$file"
    ) || die "cannot read snapshot ${snapshot}"
    ;;
  snapshots)
    repo snapshots --tag "$tag"
    ;;
  *) die "usage: openclaw-off-server.sh login | ensure | push <archive> | latest | fetch <snapshot> <file> | snapshots" ;;
esac
