#!/usr/bin/env bash
# Host tier: run as root inside the test host (nsenter into its mount
# namespace) after every boot. systemd-nspawn mounts the cgroup v1 controller
# hierarchies read-only in the container (this machine has no unified
# hierarchy to delegate), so runc cannot create a Docker container's cgroups
# ("mkdir /sys/fs/cgroup/cpuset/docker/...: read-only file system"). On a VM
# such as the user's server they are writable by root; remounting the
# container's own view read-write restores that. It touches only the
# container's mount namespace, and with a cgroup namespace only the
# container's part of each hierarchy. Prints what it remounted.
set -euo pipefail

count=0
while read -r target options; do
  case ",${options}," in
    *,name=systemd,*) continue ;; # systemd's own hierarchy: nspawn already delegates it
    *,ro,*)
      mount -o remount,bind,rw "$target"
      count=$((count + 1))
      ;;
  esac
done < <(findmnt -rn -t cgroup -o TARGET,OPTIONS)
echo "cgroup controllers made writable: ${count}"
