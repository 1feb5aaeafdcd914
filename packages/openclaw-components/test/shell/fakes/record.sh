#!/usr/bin/env bash
# Recording fake for the shell tier (test/shell). Symlinked under a tool's name
# (systemctl, openclaw, docker, ...) into a bin directory placed on PATH, or
# exec'd with FAKE_TOOL set by wrapper.sh. Each call:
#   1. captures its stdin into a file when something was piped or redirected
#      to this call specifically (its stdin differs from its parent's), so a
#      fake inside a `while read ...; done < file` loop never eats the loop's
#      input; a rule can force "capture" or "ignore";
#   2. appends one JSON line to $FAKE_LOG, with one write (O_APPEND); the
#      line's position in the log is the call's order:
#      {"tool":"...","path":"<as invoked>","argv":["tool","arg",...],"cwd":"...","stdin":bool,"stdinFile":"..."|null}
#   3. answers with the first rule in $FAKE_RULES whose argv patterns (bash
#      globs, one per leading word, tool first) match: prints the rule's
#      stdout/stderr files, then either sources its `source` script (a
#      behaviour file in this directory: "$@" = the arguments, stdin re-fed
#      from the capture; its exit is the fake's) or runs its `run` snippet
#      (bash -c, same arguments and stdin, FAKE_STDIN = the captured file),
#      and exits with the rule's `exit` code, else the snippet's, else 0.
# Rule layout: $FAKE_RULES/<order>/{argv (NUL-separated patterns), exit,
# stdout, stderr, source, run, stdin}. No rule matches: exit 0, no output.
set -uo pipefail
# Few external processes: each costs milliseconds, and some steps make dozens
# of calls. Helpers set variables instead of printing into $(...).

tool="${FAKE_TOOL:-${0##*/}}"
tool_path="${FAKE_TOOL_PATH:-$0}"
unset FAKE_TOOL FAKE_TOOL_PATH
: "${FAKE_LOG:?FAKE_LOG must name the call log}"
rules="${FAKE_RULES:-}"

# Sets REPLY to $1 as a JSON string.
json_str() {
  local s="$1" out="" c i
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  if [[ "$s" == *[$'\x01'-$'\x1f']* ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      c="${s:i:1}"
      if [[ "$c" == [$'\x01'-$'\x1f'] ]]; then
        printf -v c '\\u%04x' "'$c"
      fi
      out+="$c"
    done
    s="$out"
  fi
  REPLY="\"${s}\""
}

# Sets rule to the first matching rule directory, or to nothing.
rule=""
match_rule() {
  local dir pat i
  local -a pats
  [ -n "$rules" ] && [ -d "$rules" ] || return 0
  for dir in "$rules"/*/; do
    dir="${dir%/}"
    [ -f "${dir}/argv" ] || continue
    pats=()
    while IFS= read -r -d '' pat; do pats+=("$pat"); done <"${dir}/argv"
    [ "${#pats[@]}" -le $(($# + 1)) ] || continue
    # shellcheck disable=SC2053 # the right-hand side is a glob pattern on purpose
    [[ "$tool" == ${pats[0]} ]] || continue
    for ((i = 1; i < ${#pats[@]}; i++)); do
      # shellcheck disable=SC2053 # the right-hand side is a glob pattern on purpose
      [[ "${!i}" == ${pats[i]} ]] || continue 2
    done
    rule="$dir"
    return 0
  done
}
match_rule "$@"

policy=auto
if [ -n "$rule" ] && [ -f "${rule}/stdin" ]; then read -r policy <"${rule}/stdin"; fi
if [ "$policy" = auto ]; then
  # -ef compares what the descriptors point at (e.g. the same pipe).
  if [ ! -t 0 ] && [ -e /proc/$$/fd/0 ] && ! [ /proc/$$/fd/0 -ef /dev/null ] && ! [ /proc/$$/fd/0 -ef "/proc/${PPID}/fd/0" ]; then
    policy=capture
  else
    policy=ignore
  fi
fi

captured=""
if [ "$policy" = capture ]; then
  captured="${FAKE_LOG}.stdin.$$.${RANDOM}${RANDOM}"
  cat >"$captured"
fi

json_str "$tool"
tool_json="$REPLY"
argv="$REPLY"
for a in "$@"; do
  json_str "$a"
  argv+=",${REPLY}"
done
json_str "$PWD"
cwd_json="$REPLY"
json_str "$tool_path"
path_json="$REPLY"
stdin_json=false stdin_file=null
if [ -n "$captured" ]; then
  json_str "$captured"
  stdin_file="$REPLY"
  if [ -s "$captured" ]; then stdin_json=true; fi
fi
printf -v line '{"tool":%s,"path":%s,"argv":[%s],"cwd":%s,"stdin":%s,"stdinFile":%s}' "$tool_json" "$path_json" "$argv" "$cwd_json" "$stdin_json" "$stdin_file"
printf '%s\n' "$line" >>"$FAKE_LOG"

[ -n "$rule" ] || exit 0
if [ -f "${rule}/stdout" ]; then cat "${rule}/stdout"; fi
if [ -f "${rule}/stderr" ]; then cat "${rule}/stderr" >&2; fi
if [ -f "${rule}/source" ]; then
  behaviour=$(<"${rule}/source")
  if [ -n "$captured" ]; then exec <"$captured"; fi
  export FAKE_STDIN="${captured:-/dev/null}"
  # shellcheck source=/dev/null # a behaviour script chosen by the rule
  . "${FAKE_FAKES:?FAKE_FAKES must name the fakes directory}/${behaviour}"
  exit $?
fi
status=0
if [ -f "${rule}/run" ]; then
  export FAKE_STDIN="${captured:-/dev/null}"
  if [ -n "$captured" ]; then
    bash -c "$(<"${rule}/run")" "$tool" "$@" <"$captured"
  else
    bash -c "$(<"${rule}/run")" "$tool" "$@"
  fi
  status=$?
fi
if [ -f "${rule}/exit" ]; then read -r status <"${rule}/exit"; fi
exit "$status"
