#!/usr/bin/env bash
# Host tier: the off-server backups' target, a real OpenSSH SFTP server
# (`internal-sftp`, as a Hetzner Storage Box serves SFTP) in a network
# namespace of its own, reached from the test host's public side only:
#   - unpacks a fresh copy of the cached root filesystem into <root> (it has
#     OpenSSH's server; this machine needs none) and adds account $SFTP_USER
#     with <authorized-key> as its only way in, an ED25519 host key and an
#     sshd_config that allows nothing but SFTP for that account;
#   - makes namespace $SFTP_NS with `eth0` $SFTP_NET.2/24 and this machine's
#     end $SFTP_IF $SFTP_NET.1/24;
#   - lets the test host's public side ($PUB_IF) reach $SFTP_NET.2 port 22
#     (one rule at the head of the host's own forward chain $HOST_CHAIN),
#     and nothing else leave $SFTP_IF but replies.
# sftp-target-down.sh removes exactly these; the server itself runs under
# systemd-nspawn (sftp-target-run.sh) and is stopped by PID.
# Environment: SFTP_NS SFTP_IF SFTP_NET SFTP_USER PUB_IF HOST_CHAIN
# Usage: sftp-target-up.sh <rootfs-tarball> <root> <authorized-key-file>
set -euo pipefail

: "${SFTP_NS:?}" "${SFTP_IF:?}" "${SFTP_NET:?}" "${SFTP_USER:?}" "${PUB_IF:?}" "${HOST_CHAIN:?}"
tarball="$1" root="$2" key="$3"

bash "$(dirname "${BASH_SOURCE[0]}")/unpack-rootfs.sh" "$tarball" "$root"

chroot "$root" useradd --create-home --shell /usr/sbin/nologin "$SFTP_USER"
# No password, but not locked: without PAM, sshd refuses a locked account ("!") even a key.
chroot "$root" usermod -p '*' "$SFTP_USER"
install -d -m 0700 "${root}/home/${SFTP_USER}/.ssh"
install -m 0600 "$key" "${root}/home/${SFTP_USER}/.ssh/authorized_keys"
chroot "$root" chown -R "${SFTP_USER}:${SFTP_USER}" "/home/${SFTP_USER}/.ssh"
rm -f "${root}"/etc/ssh/ssh_host_*
ssh-keygen -q -t ed25519 -N '' -C sftp-target -f "${root}/etc/ssh/ssh_host_ed25519_key"
cat >"${root}/etc/ssh/sftp_target_config" <<'CONF'
Port 22
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
AllowUsers @SFTP_USER@
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTTY no
Subsystem sftp internal-sftp
ForceCommand internal-sftp
CONF
sed -i "s/@SFTP_USER@/${SFTP_USER}/" "${root}/etc/ssh/sftp_target_config"

ip netns add "$SFTP_NS"
ip netns exec "$SFTP_NS" ip link set lo up
ip link add "$SFTP_IF" type veth peer name "${SFTP_IF}i"
ip link set "${SFTP_IF}i" netns "$SFTP_NS"
ip netns exec "$SFTP_NS" ip link set "${SFTP_IF}i" name eth0
ip addr add "${SFTP_NET}.1/24" dev "$SFTP_IF"
ip link set "$SFTP_IF" up
ip netns exec "$SFTP_NS" ip addr add "${SFTP_NET}.2/24" dev eth0
ip netns exec "$SFTP_NS" ip link set eth0 up
ip netns exec "$SFTP_NS" ip route add default via "${SFTP_NET}.1" dev eth0

iptables -I "$HOST_CHAIN" 1 -o "$SFTP_IF" -d "${SFTP_NET}.2" -p tcp --dport 22 -j ACCEPT
iptables -I FORWARD 1 -i "$SFTP_IF" -j REJECT
iptables -I FORWARD 1 -i "$SFTP_IF" -o "$PUB_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
echo "SFTP target ${SFTP_NS}: ${SFTP_NET}.2:22, reachable from ${PUB_IF} only"
