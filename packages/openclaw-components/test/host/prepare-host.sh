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
#  - the fake tailscale CLI and tailscaled with a unit shaped like the real
#    package's (the bootstrap then skips installing Tailscale);
#  - the workspace's git remote: a bare repository served by a second sshd on
#    127.0.0.1:2222 for user `git` (git-shell), with the deploy key authorised;
#  - Docker's bridge addresses (/etc/docker/daemon.json, read by the docker.io
#    the sandbox step installs later): Docker's default 172.17.0.0/16 may be
#    routed on this machine, and the test host must not take a range this
#    machine uses. A user's server has no such neighbour; nothing else of
#    Docker's configuration is touched.
# Usage: prepare-host.sh <rootfs-tarball> <root> <config-dir>
#   <config-dir> holds user-data, meta-data, hostname, deploy-key.pub and
#   docker-daemon.json.
set -euo pipefail

tarball="$1" root="$2" cfg="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

[ ! -e "${root}/etc" ] || {
  echo "error: ${root} is not empty" >&2
  exit 1
}
install -d -m 0755 "$root"
tar --numeric-owner --xattrs --acls -C "$root" -xf "$tarball"
# A mktemp -d root is 0700: sshd's StrictModes and dbus then fail as non-root.
chmod 0755 "$root"

hostname=$(cat "${cfg}/hostname")
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$hostname" >"${root}/etc/hosts"

# This machine's CA trust.
install -d -m 0755 "${root}/usr/local/share/ca-certificates"
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$crt" ] || continue
  install -m 0644 "$crt" "${root}/usr/local/share/ca-certificates/"
done
chroot "$root" update-ca-certificates >/dev/null 2>&1
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"${root}/root/.npmrc"
chmod 0600 "${root}/root/.npmrc"

# Tailscale stand-in.
install -m 0755 "${here}/fake-tailscale.sh" "${root}/usr/bin/tailscale"
install -m 0755 "${here}/fake-tailscaled.sh" "${root}/usr/sbin/tailscaled"
install -d -m 0755 "${root}/var/log/fake-tailscale"
install -m 0666 /dev/null "${root}/var/log/fake-tailscale/calls.log"
cat >"${root}/lib/systemd/system/tailscaled.service" <<'EOF'
[Unit]
Description=Tailscale node agent (test stand-in)
Wants=network-pre.target
After=network-pre.target

[Service]
ExecStart=/usr/sbin/tailscaled --state=/var/lib/tailscale/tailscaled.state --socket=/run/tailscale/tailscaled.sock
Restart=on-failure
RuntimeDirectory=tailscale
RuntimeDirectoryMode=0755
StateDirectory=tailscale
StateDirectoryMode=0700
Type=simple

[Install]
WantedBy=multi-user.target
EOF

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
install -d -m 0700 "${root}/srv/git/.ssh"
printf 'restrict %s\n' "$(cat "${cfg}/deploy-key.pub")" >"${root}/srv/git/.ssh/authorized_keys"
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
