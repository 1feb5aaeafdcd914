#!/usr/bin/env bash
# Sourced by the test hosts' debootstrap scripts (test/host, test/docker): finds
# the Debian mirror this machine's apt already uses, read at run time so that
# no mirror name is written into the repository.

# First deb URI serving $suite: deb822 sources first, then the one-line format.
host_mirror() { # <suite>
  local suite="$1" file uri
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    uri=$(awk -v suite="$suite" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; suites = ""; uris = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Types:/) { types = $i; sub(/^Types:[ \t]*/, "", types) }
          if ($i ~ /^Suites:/) { suites = $i; sub(/^Suites:[ \t]*/, "", suites) }
          if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
        }
        if ((" " types " ") ~ / deb / && (" " suites " ") ~ (" " suite " ") && uris != "") {
          split(uris, u, /[ \t]+/); print u[1]; exit
        }
      }' "$file")
    if [ -n "$uri" ]; then
      printf '%s\n' "$uri"
      return 0
    fi
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    uri=$(awk -v suite="$suite" '$1 == "deb" && $0 ~ (" " suite " ") {
      for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; exit }
    }' "$file")
    if [ -n "$uri" ]; then
      printf '%s\n' "$uri"
      return 0
    fi
  done
  echo "error: no apt source for ${suite} on this machine; cannot debootstrap" >&2
  return 1
}
