#!/usr/bin/env bash
# Step "sync-schedules": makes the gateway's scheduled jobs equal to the
# declared list. Jobs this library owns carry a declaration key with the
# prefix OPENCLAW_SCHEDULE_PREFIX: it adds the missing ones, updates changed
# ones in place (`cron add --declaration-key` upserts, keeping the id),
# removes owned jobs that are no longer declared, and never touches a job
# without the prefix. Talks to the running gateway over loopback.
# Inputs (environment): OPENCLAW_SCHEDULES (JSON array of declared jobs),
# OPENCLAW_SCHEDULE_PREFIX, OPENCLAW_GATEWAY_PORT.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_SCHEDULES:?}" "${OPENCLAW_SCHEDULE_PREFIX:?}" "${OPENCLAW_GATEWAY_PORT:?}"
command -v jq >/dev/null 2>&1 || fail "jq is required (installed by the install-openclaw step)"

jobs=$(openclaw cron list --all --json --port "$OPENCLAW_GATEWAY_PORT" | json_only) ||
  fail "openclaw cron list failed (is the gateway running on port ${OPENCLAW_GATEWAY_PORT}?)"
jq -e 'type == "object"' >/dev/null 2>&1 <<<"$jobs" || fail "openclaw cron list printed no JSON document"
[ "$(jq -r '.hasMore // false' <<<"$jobs")" = "false" ] || fail "cron list is paginated; refusing to sync a partial list"

# The fields the library sets, in one shape for both sides of the comparison.
normalise='{name, cron, tz, session, message, channel, to}'
owned=$(jq --arg p "$OPENCLAW_SCHEDULE_PREFIX" -c '
  [.jobs[] | select((.declarationKey // "") | startswith($p)) |
   {id, key: .declarationKey, name, cron: .schedule.expr, tz: .schedule.tz, session: .sessionTarget,
    message: .payload.message, channel: .delivery.channel, to: (.delivery.to // "" | tostring)}]' <<<"$jobs")
declared=$(jq -c '.' <<<"$OPENCLAW_SCHEDULES")

added=0 updated=0 removed=0 kept=0
while IFS= read -r job; do
  key=$(jq -r '.key' <<<"$job")
  current=$(jq -c --arg k "$key" "[.[] | select(.key == \$k)] | first // empty | ${normalise}" <<<"$owned")
  wanted=$(jq -c "$normalise" <<<"$job")
  if [ "$current" = "$wanted" ]; then
    kept=$((kept + 1))
    continue
  fi
  name=$(jq -r '.name' <<<"$job")
  # $(…) would drop a message's trailing newlines (and so never converge).
  message=$(
    jq -j '.message' <<<"$job"
    printf x
  )
  message="${message%x}"
  # Name and message go as --name=… and --message=…, one argv element each
  # that starts with the option. OpenClaw scans its whole argv for some
  # options of its own before parsing (--dev, --profile, --container, --json,
  # --verbose, …), each matched as a whole element or its "--flag=" prefix,
  # so a message that is itself "--profile=x" would switch its state
  # directory; inside "--message=…" no scan can match it. The recipient goes
  # the same way: a Telegram group's id starts with "-".
  if [ -z "$current" ]; then say "adding \"${name}\""; added=$((added + 1)); else say "updating \"${name}\""; updated=$((updated + 1)); fi
  openclaw cron add --json --port "$OPENCLAW_GATEWAY_PORT" \
    --declaration-key "$key" \
    --name="$name" \
    --cron "$(jq -r '.cron' <<<"$job")" \
    --tz "$(jq -r '.tz' <<<"$job")" \
    --session "$(jq -r '.session' <<<"$job")" \
    --agent main \
    --message="$message" \
    --announce --channel="$(jq -r '.channel' <<<"$job")" --to="$(jq -r '.to' <<<"$job")" >/dev/null
  mark_changed
done < <(jq -c '.[]' <<<"$declared")

while IFS= read -r stale; do
  [ -n "$stale" ] || continue
  say "removing \"$(jq -r '.name' <<<"$stale")\" (no longer declared)"
  openclaw cron rm --json --port "$OPENCLAW_GATEWAY_PORT" "$(jq -r '.id' <<<"$stale")" >/dev/null
  removed=$((removed + 1))
  mark_changed
done < <(jq -c --argjson d "$declared" '.[] | select(.key as $k | ($d | map(.key) | index($k)) == null)' <<<"$owned")

say "schedules: ${added} added, ${updated} updated, ${removed} removed, ${kept} unchanged"
finish
