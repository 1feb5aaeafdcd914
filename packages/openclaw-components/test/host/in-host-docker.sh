#!/usr/bin/env bash
# Host tier: the docker CLI inside the test host, as root, for the test's own
# set-up (loading the stand-in for Docker Hub's debian:bookworm-slim, which no
# host here can pull). Stdin is passed through (docker import -).
# Usage: HOST_INIT_PID=<pid of the host's systemd> in-host-docker.sh <docker args...>
set -euo pipefail
: "${HOST_INIT_PID:?}"
exec nsenter -t "$HOST_INIT_PID" -m -u -i -n -p -- \
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin docker "$@"
