#!/usr/bin/env bash
# Behaviour of the fake `curl` on a healthy host: the gateway's /readyz answers
# while the fake systemd has openclaw-gateway.service active; a Node release
# archive URL "downloads" $FAKE_STATE/node.tar.gz to the -o path; any other
# URL fails as unresolvable (the sandbox has no network).
set -euo pipefail
: "${FAKE_STATE:?}"
url="${!#}"
out=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    -o)
      out="$2"
      shift 2
      ;;
    *) shift ;;
  esac
done
case "$url" in
  http://127.0.0.1:*/readyz)
    [ -e "${FAKE_STATE}/systemd/user/openclaw-gateway.service.active" ] || {
      echo "curl: (7) Failed to connect to 127.0.0.1: Connection refused" >&2
      exit 7
    }
    if [ -z "$out" ]; then echo '{"ready":true}'; fi
    ;;
  */node-v*.tar.gz)
    if [ -z "$out" ] || [ ! -f "${FAKE_STATE}/node.tar.gz" ]; then
      echo "curl: (22) The requested URL returned error: 404" >&2
      exit 22
    fi
    cp "${FAKE_STATE}/node.tar.gz" "$out"
    ;;
  *)
    echo "curl: (6) Could not resolve host (no network in the sandbox): ${url}" >&2
    exit 6
    ;;
esac
