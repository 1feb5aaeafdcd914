#!/usr/bin/env bash
# Step "install-docker": installs the Docker engine, gives the admin user the
# docker group in the systemd user manager that runs the gateway, and installs
# the metadata-service block that survives Docker restarts and reboots.
# Inputs (environment): OPENCLAW_BLOCK_SCRIPT, OPENCLAW_BLOCK_UNIT (file texts),
# OPENCLAW_GATEWAY_PORT.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_BLOCK_SCRIPT:?}" "${OPENCLAW_BLOCK_UNIT:?}" "${OPENCLAW_GATEWAY_PORT:?}"

# Ubuntu's docker.io package rather than Docker's own apt repository: it comes
# from the archive the host already trusts, gets security updates through
# unattended-upgrades, and needs no third-party signing key; the sandbox uses
# nothing that only Docker CE has.
if ! command -v docker >/dev/null 2>&1; then
  say "installing docker.io"
  # Waits for the dpkg lock a first-boot apt-daily run may hold.
  sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q
  sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q docker.io
  mark_changed
fi
if ! systemctl is-enabled --quiet docker.service || ! systemctl is-active --quiet docker.service; then
  sudo systemctl enable --now docker.service
  mark_changed
fi

user=$(id -un)
uid=$(id -u)
# Here-strings, not `cmd | grep -q`: under pipefail an early grep exit can
# fail the pipeline through SIGPIPE.
user_groups=" $(id -nG "$user") "
if [[ "$user_groups" != *" docker "* ]]; then
  say "adding ${user} to the docker group"
  sudo usermod -aG docker "$user"
  mark_changed
fi
# The user manager keeps the groups it started with: if it
# predates the membership, restart it so the gateway can reach the socket.
docker_gid=$(getent group docker | cut -d: -f3)
manager_pid=$(systemctl show --property=MainPID --value "user@${uid}.service")
if [ -n "$manager_pid" ] && [ "$manager_pid" != "0" ] &&
  [[ " $(sed -n 's/^Groups:[[:space:]]*//p' "/proc/${manager_pid}/status" | tr -s ' \t' ' ') " != *" ${docker_gid} "* ]]; then
  say "restarting user@${uid}.service so the gateway gets the docker group"
  sudo systemctl restart "user@${uid}.service"
  mark_changed
  # The enabled gateway comes back with the manager's default.target.
  if systemctl --user is-enabled --quiet openclaw-gateway.service 2>/dev/null; then
    wait_for_gateway "$OPENCLAW_GATEWAY_PORT"
  fi
fi

install_text --root /usr/local/lib/openclaw-infra/block-metadata.sh 0755 "$OPENCLAW_BLOCK_SCRIPT" || true
if install_text --root /etc/systemd/system/openclaw-metadata-block.service 0644 "$OPENCLAW_BLOCK_UNIT"; then
  sudo systemctl daemon-reload
fi
sudo systemctl enable openclaw-metadata-block.service >/dev/null 2>&1
sudo systemctl restart openclaw-metadata-block.service
sudo iptables -w -C DOCKER-USER -d 169.254.169.254/32 -j REJECT --reject-with icmp-port-unreachable ||
  fail "the metadata block rule is missing from DOCKER-USER after Docker started"
say "docker $(docker --version | cut -d' ' -f3 | tr -d ,) ready; metadata service blocked for containers"
finish
