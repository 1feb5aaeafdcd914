#!/usr/bin/env bash
# Entry point of the shell tier's sandbox: run inside `unshare --mount --net`
# (a private mount namespace without network). Binds test directories over
# host paths the scripts read or write (e.g. /opt, /usr/local/bin, /run) so
# nothing of this machine is touched or shadows a fake, then runs the step the
# way sshd does: bash -c "<command text>".
# Usage: sandbox.sh [--bind <test dir> <host path>]... -- <command text> [args]
set -euo pipefail

while [ "$#" -gt 0 ]; do
  case "$1" in
    --bind)
      mount --bind "$2" "$3"
      shift 3
      ;;
    --)
      shift
      break
      ;;
    *)
      echo "sandbox.sh: unknown option $1" >&2
      exit 64
      ;;
  esac
done
[ "$#" -ge 1 ] || {
  echo "sandbox.sh: no command" >&2
  exit 64
}
command_text="$1"
shift
exec bash -c "$command_text" "$@"
