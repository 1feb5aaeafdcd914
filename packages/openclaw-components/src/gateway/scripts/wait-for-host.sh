#!/usr/bin/env bash
# Step "wait-for-host": blocks until cloud-init has finished the first boot
# (users, sshd, Tailscale, UFW, linger) and the user manager is up.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

say "waiting for cloud-init to finish"
rc=0
cloud-init status --wait >/dev/null || rc=$?
case "$rc" in
  0) ;;
  2) say "cloud-init finished with recoverable warnings (see: cloud-init status --long)" ;;
  *)
    cloud-init status --long >&2 || true
    fail "cloud-init failed on $(hostname) (exit $rc)"
    ;;
esac

# Linger makes systemd start user@<uid>.service at boot; steps that use
# systemctl --user need it running.
uid=$(id -u)
waited=0
until systemctl is-active --quiet "user@${uid}.service"; do
  [ "$waited" -lt 60 ] || fail "user@${uid}.service is not running: is linger enabled for $(id -un)?"
  sleep 1
  waited=$((waited + 1))
done
say "host $(hostname) is ready"
finish
