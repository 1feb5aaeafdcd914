#!/usr/bin/env bash
# Host tier: the stand-in for the `tailscale` CLI, /usr/bin/tailscale of the
# stand-in package the bootstrap installs from the test's Tailscale apt
# repository (build-tailscale-repo.sh). Every call is appended to /var/log/fake-tailscale/calls.log as
# "uid=<uid> <argv, %q-quoted>" so the test can check what was run, and that no
# secret was ever on an argv. It answers what the library and OpenClaw use:
#   up --auth-key=file:<path> --hostname=<h> --operator=<u>  (root only)
#   status [--json]   "Running" after a successful `up` while tailscaled runs
#   serve status --json / serve --yes --bg=false <port> / serve ... off
#   set --hostname=<h> (root only)
#   whois --json <ip>, ip [-4], version
# Its JSON has the shapes of Tailscale's own: `status --json` is ipnstate.Status
# (ipn/ipnstate/ipnstate.go), `serve status --json` is ipn.ServeConfig
# (ipn/serve.go), where a foreground session's config sits under Foreground,
# keyed by session, for as long as that `serve` process runs.
# The tailnet address it reports is the one on the tailscale0 interface.
set -euo pipefail

log_dir=/var/log/fake-tailscale
# Readable by all, like what the real CLI gets from tailscaled's socket;
# persistent, like tailscaled.state.
state=/var/lib/fake-tailscale/state.json
daemon_alive=/run/tailscale/fake-tailscaled.alive
serve_sessions=/run/tailscale/fake-serve
suffix=tail0000.ts.net

record() {
  local line
  line="uid=$(id -u)"
  for a in "$@"; do line+=" $(printf '%q' "$a")"; done
  { printf '%s\n' "$line" >>"${log_dir}/calls.log"; } 2>/dev/null || true
}
record "$@"

daemon_running() { [ -e "$daemon_alive" ]; }
need_daemon() {
  daemon_running || {
    echo "failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)" >&2
    exit 1
  }
}
tailnet_ip() { ip -4 -o addr show dev tailscale0 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }'; }
state_get() { # <key>: a string field of the state file, empty when absent
  [ -r "$state" ] || return 0
  sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$state" | head -n 1
}

cmd="${1:-}"
[ "$#" -eq 0 ] || shift
case "$cmd" in
  version)
    printf '1.90.0-fake\n  tailscale commit: fake\n'
    ;;
  up)
    [ "$(id -u)" -eq 0 ] || {
      echo "Access denied: up requires root" >&2
      exit 1
    }
    need_daemon
    key_file="" hostname="" operator=""
    for a in "$@"; do
      case "$a" in
        --auth-key=file:*) key_file="${a#--auth-key=file:}" ;;
        --authkey=* | --auth-key=*)
          echo "fake tailscale: refusing an auth key on the command line" >&2
          exit 2
          ;;
        --hostname=*) hostname="${a#--hostname=}" ;;
        --operator=*) operator="${a#--operator=}" ;;
      esac
    done
    if [ -z "$key_file" ] || [ ! -s "$key_file" ]; then
      echo "fake tailscale: no readable --auth-key=file:<path>" >&2
      exit 1
    fi
    key_sha=$(sha256sum <"$key_file" | cut -d' ' -f1)
    install -d -m 0755 "$(dirname "$state")"
    printf '{"BackendState": "Running", "HostName": "%s", "Operator": "%s", "AuthKeySha256": "%s"}\n' \
      "$hostname" "$operator" "$key_sha" >"$state"
    chmod 0644 "$state"
    ;;
  status)
    need_daemon
    if [ "$(state_get BackendState)" = "Running" ]; then backend=Running; else backend=NeedsLogin; fi
    host=$(state_get HostName)
    ip4=$(tailnet_ip)
    if [ "${1:-}" = "--json" ]; then
      # A tagged node's key does not expire: KeyExpiry is absent.
      printf '{\n  "Version": "1.90.0-fake",\n  "BackendState": "%s",\n  "Self": {\n    "HostName": "%s",\n    "DNSName": "%s.%s.",\n    "TailscaleIPs": ["%s"],\n    "Online": true\n  },\n  "MagicDNSSuffix": "%s",\n  "CurrentTailnet": {"Name": "tier@example.com", "MagicDNSSuffix": "%s", "MagicDNSEnabled": true},\n  "CertDomains": ["%s.%s"]\n}\n' \
        "$backend" "$host" "$host" "$suffix" "$ip4" "$suffix" "$suffix" "$host" "$suffix"
    else
      [ "$backend" = Running ] || {
        echo "Logged out."
        exit 1
      }
      printf '%s  %s  fake  linux  -\n' "$ip4" "$host"
    fi
    ;;
  ip)
    need_daemon
    tailnet_ip
    ;;
  whois)
    need_daemon
    echo "fake tailscale: no peer with that address" >&2
    exit 1
    ;;
  serve | funnel)
    need_daemon
    case "${1:-}" in
      status)
        sessions=""
        for f in "$serve_sessions"/*.json; do
          [ -e "$f" ] || continue
          pid=$(basename "$f" .json)
          if kill -0 "$pid" 2>/dev/null; then sessions+="${sessions:+, }\"${pid}\": $(cat "$f")"; fi
        done
        if [ -n "$sessions" ]; then printf '{"Foreground": {%s}}\n' "$sessions"; else echo "{}"; fi
        exit 0
        ;;
    esac
    off=0 bg=true target=""
    for a in "$@"; do
      case "$a" in
        off) off=1 ;;
        --bg=false) bg=false ;;
        --*) ;;
        *) target="$a" ;;
      esac
    done
    [ "$off" -eq 1 ] && exit 0
    host=$(state_get HostName)
    printf 'Available within your tailnet:\n\nhttps://%s.tail0000.ts.net/\n|-- proxy http://127.0.0.1:%s\n\n' "$host" "$target"
    if [ "$bg" = false ]; then
      # A foreground serve lives until it is told to stop; its route with it.
      session="${serve_sessions}/$$.json"
      printf '{"TCP": {"443": {"HTTPS": true}}, "Web": {"%s.%s:443": {"Handlers": {"/": {"Proxy": "http://127.0.0.1:%s"}}}}}\n' \
        "$host" "$suffix" "$target" >"$session"
      echo "Press Ctrl+C to exit."
      trap 'rm -f "$session"; exit 0' TERM INT HUP
      while :; do sleep 3600 & wait $!; done
    fi
    echo "Serve started and running in the background."
    ;;
  set)
    need_daemon
    for a in "$@"; do
      case "$a" in
        --hostname=*)
          [ "$(id -u)" -eq 0 ] || {
            echo "Access denied: changing the hostname requires root" >&2
            exit 1
          }
          sed -i "s/\"HostName\": \"[^\"]*\"/\"HostName\": \"${a#--hostname=}\"/" "$state"
          ;;
      esac
    done
    ;;
  down | logout)
    need_daemon
    ;;
  *)
    echo "fake tailscale: unsupported command '${cmd}'" >&2
    exit 64
    ;;
esac
