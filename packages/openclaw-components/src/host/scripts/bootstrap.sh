#!/usr/bin/env bash
# First-boot bootstrap, run once by cloud-init (runcmd) as root. Everything
# that must converge on a running host later belongs in a remote step, not
# here: user-data is ignored after the server is created.
# Usage: bootstrap.sh <tailscale-hostname> <admin-user>
set -euo pipefail

ts_hostname="$1"
admin_user="$2"
key_file=/run/openclaw-bootstrap/tailscale-authkey

log() { printf '[openclaw-bootstrap] %s\n' "$*"; }

# The key must not outlive this script, whatever happens below.
cleanup() {
  if [ -e "$key_file" ]; then shred -u "$key_file" 2>/dev/null || rm -f "$key_file"; fi
}
trap cleanup EXIT

log "enabling linger for ${admin_user}"
loginctl enable-linger "$admin_user"

log "configuring UFW: deny incoming, allow in on tailscale0 only"
ufw default deny incoming
ufw default allow outgoing
ufw allow in on tailscale0
ufw --force enable

# sshd reads /etc/ssh/sshd_config.d at each (socket-activated) connection on
# Ubuntu 24.04; reload covers a long-running sshd.
systemctl reload ssh.service 2>/dev/null || systemctl reload sshd.service 2>/dev/null || true

# A fresh server is busy at first boot: apt-daily and unattended-upgrades hold
# the dpkg lock for minutes, and the network or a mirror may not answer yet.
# apt waits for the lock itself; anything else that fails is tried again.
with_retries() { # <what> <command...>
  local what="$1" attempt=1 delay=5
  shift
  until "$@"; do
    if [ "$attempt" -ge 5 ]; then
      log "${what} failed ${attempt} times; giving up"
      return 1
    fi
    log "${what} failed (attempt ${attempt}); trying again in ${delay} s"
    sleep "$delay"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
  done
}
apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

if ! command -v tailscale >/dev/null 2>&1; then
  log "installing Tailscale from its signed apt repository"
  # shellcheck source=/dev/null # /etc/os-release exists only on the target host
  . /etc/os-release
  repo="https://pkgs.tailscale.com/stable/${ID}"
  with_retries "downloading Tailscale's signing key" curl -fsSL --retry 3 "${repo}/${VERSION_CODENAME}.noarmor.gpg" \
    -o /usr/share/keyrings/tailscale-archive-keyring.gpg
  with_retries "downloading Tailscale's apt source" curl -fsSL --retry 3 \
    "${repo}/${VERSION_CODENAME}.tailscale-keyring.list" -o /etc/apt/sources.list.d/tailscale.list
  with_retries "apt-get update" apt-get "${apt_opts[@]}" update -q
  export DEBIAN_FRONTEND=noninteractive
  with_retries "installing Tailscale" apt-get "${apt_opts[@]}" install -y -q tailscale
fi
systemctl enable --now tailscaled.service

# Parse stdout only: a warning on stderr once broke a JSON parse.
# Captured first: `cmd | grep -q` under pipefail fails when grep exits early
# and cmd gets SIGPIPE.
ts_status=$(tailscale status --json 2>/dev/null || true)
if grep -q '"BackendState": *"Running"' <<<"$ts_status"; then
  log "already on the tailnet"
else
  [ -s "$key_file" ] || {
    log "no Tailscale auth key at ${key_file}"
    exit 1
  }
  log "joining the tailnet as ${ts_hostname}"
  # file: keeps the key off the command line; --operator lets the gateway's
  # user configure Tailscale Serve. No --ssh: tailscaled would answer port 22
  # itself and the admin key would never reach sshd.
  tailscale up --auth-key="file:${key_file}" --hostname="$ts_hostname" --operator="$admin_user"
fi
log "done"
