#!/usr/bin/env bash
# Behaviour of the fake `sudo` when a test wants the side effects: runs the
# command (as this user, who is root inside the test's namespace), but only if
# every absolute path argument lies under a directory the sandbox has bound
# over the host path (FAKE_SUDO_ALLOW, colon-separated). Anything else is
# refused with exit 97, so a step can never write to this machine's /etc,
# /usr or /var through the fake.
set -euo pipefail
: "${FAKE_SUDO_ALLOW:?}"
IFS=: read -r -a allowed <<<"$FAKE_SUDO_ALLOW"
for a in "$@"; do
  case "$a" in
    /*)
      ok=0
      for d in "${allowed[@]}"; do
        if [ "$a" = "$d" ] || [[ "$a" == "${d%/}/"* ]]; then ok=1; fi
      done
      if [ "$ok" -eq 0 ]; then
        echo "fake sudo: refusing to touch ${a} (outside the sandbox)" >&2
        exit 97
      fi
      ;;
  esac
done
exec "$@"
