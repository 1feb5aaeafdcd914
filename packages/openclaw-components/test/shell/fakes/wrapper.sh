#!/usr/bin/env bash
# A copy of this file stands in for a tool where the fake must be a regular
# file at a real install path (e.g. <prefix>/bin/node, whose `readlink -f` the
# sandbox build follows): it hands over to record.sh under its own name.
# FAKE_RECORDER names record.sh.
: "${FAKE_RECORDER:?FAKE_RECORDER must name record.sh}"
FAKE_TOOL=$(basename "$0")
FAKE_TOOL_PATH="$0"
export FAKE_TOOL FAKE_TOOL_PATH
exec "$FAKE_RECORDER" "$@"
