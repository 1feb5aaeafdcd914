#!/usr/bin/env bash
# Host tier: unpacks a fresh copy of the cached root filesystem into <root> and
# makes it the test host's disk as a provider would hand it over, plus what
# stands in for the world around it:
#  - the NoCloud seed with the library's rendered user-data and a meta-data
#    (instance-id, local-hostname) as Hetzner's metadata service provides it;
#    cloud-init's datasource list is pinned to NoCloud, and its network
#    config is off (the test wires the interfaces before boot);
#  - this machine's CA trust (its HTTPS egress proxy): the extra CA
#    certificates in the system store, and npm told to use that store
#    (/root/.npmrc: the install step runs npm under sudo, whose env_reset
#    drops NODE_EXTRA_CA_CERTS);
#  - Tailscale's apt repository at https://pkgs.tailscale.com, served by the
#    fake services with a stand-in package (the fake tailscale CLI and
#    tailscaled, with a unit shaped like the real package's): the bootstrap
#    installs it as it installs the real one;
#  - the workspaces' git remote: bare repositories (the workspace's, an extra
#    agent's) served by a second sshd on 127.0.0.1:2222 for user `git`
#    (git-shell), with the deploy keys authorised (deploy-key.pub, one a line);
#  - Docker's bridge addresses (/etc/docker/daemon.json, read by the docker.io
#    the sandbox step installs later): Docker's default 172.17.0.0/16 may be
#    routed on this machine, and the test host must not take a range this
#    machine uses. A user's server has no such neighbour; nothing else of
#    Docker's configuration is touched.
# Usage: prepare-host.sh <rootfs-tarball> <root> <config-dir>
#   <config-dir> holds user-data, meta-data, hostname, deploy-key.pub,
#   docker-daemon.json, pkgs-address (where pkgs.tailscale.com is served) and
#   tailscale-repo-ca.crt (the CA its certificate comes from).
set -euo pipefail

tarball="$1" root="$2" cfg="$3"

bash "$(dirname "${BASH_SOURCE[0]}")/unpack-rootfs.sh" "$tarball" "$root"

hostname=$(cat "${cfg}/hostname")
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$hostname" >"${root}/etc/hosts"

# This machine's CA trust, and the test CA of pkgs.tailscale.com (below).
install -d -m 0755 "${root}/usr/local/share/ca-certificates"
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$crt" ] || continue
  install -m 0644 "$crt" "${root}/usr/local/share/ca-certificates/"
done
install -m 0644 "${cfg}/tailscale-repo-ca.crt" "${root}/usr/local/share/ca-certificates/host-tier-tailscale-repo.crt"
chroot "$root" update-ca-certificates >/dev/null 2>&1
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"${root}/root/.npmrc"
chmod 0600 "${root}/root/.npmrc"

# Tailscale: the bootstrap installs it from its apt repository, which the
# fake services serve as https://pkgs.tailscale.com (build-tailscale-repo.sh):
# the name points at them, and the host trusts the test CA that signed their
# certificate. The stand-in package logs its calls here.
printf '%s\tpkgs.tailscale.com\n' "$(cat "${cfg}/pkgs-address")" >>"${root}/etc/hosts"
install -d -m 0755 "${root}/var/log/fake-tailscale"
install -m 0666 /dev/null "${root}/var/log/fake-tailscale/calls.log"

install -d -m 0755 "${root}/etc/docker"
install -m 0644 "${cfg}/docker-daemon.json" "${root}/etc/docker/daemon.json"

# cloud-init: NoCloud seed, no network configuration of its own.
install -d -m 0755 "${root}/var/lib/cloud/seed/nocloud"
install -m 0600 "${cfg}/user-data" "${root}/var/lib/cloud/seed/nocloud/user-data"
install -m 0644 "${cfg}/meta-data" "${root}/var/lib/cloud/seed/nocloud/meta-data"
cat >"${root}/etc/cloud/cloud.cfg.d/90-test-host.cfg" <<'EOF'
# Host tier: the seed on disk is the only datasource; the test wires the network.
datasource_list: [ NoCloud, None ]
network: {config: disabled}
EOF

# The workspace's git remote.
chroot "$root" useradd --system --create-home --home-dir /srv/git --shell /usr/bin/git-shell git
# Not locked (sshd refuses locked accounts), but no password either.
chroot "$root" usermod -p '*' git
chroot "$root" git init --quiet --bare --initial-branch=main /srv/git/workspace.git
chroot "$root" git init --quiet --bare --initial-branch=main /srv/git/research.git
install -d -m 0700 "${root}/srv/git/.ssh"
sed 's/^/restrict /' "${cfg}/deploy-key.pub" >"${root}/srv/git/.ssh/authorized_keys"
chmod 0600 "${root}/srv/git/.ssh/authorized_keys"
chroot "$root" chown -R git:git /srv/git
ssh-keygen -q -t ed25519 -N "" -C git-remote -f "${root}/etc/ssh/git_remote_host_ed25519_key"
cat >"${root}/etc/ssh/git-remote_sshd_config" <<'EOF'
# Host tier: the workspace's git remote (not part of the deployment).
Port 2222
ListenAddress 127.0.0.1
HostKey /etc/ssh/git_remote_host_ed25519_key
PidFile /run/git-remote-sshd.pid
AllowUsers git
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile .ssh/authorized_keys
EOF
cat >"${root}/etc/systemd/system/git-remote-sshd.service" <<'EOF'
[Unit]
Description=Host tier: sshd for the workspace's git remote
After=network.target

[Service]
ExecStartPre=/bin/mkdir -p -m 0755 /run/sshd
ExecStart=/usr/sbin/sshd -D -e -f /etc/ssh/git-remote_sshd_config
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/git-remote-sshd.service "${root}/etc/systemd/system/multi-user.target.wants/git-remote-sshd.service"
echo "prepared ${root} (${hostname})"
