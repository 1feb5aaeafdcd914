#!/usr/bin/env bash
# Step "install-sync-timer": installs the workspace sync program and its
# systemd user service and timer, enables the timer, and runs a first sync.
# Each other agent with a repository of its own gets a service and timer of
# its own, running the same program on its workspace; the units of an agent
# no longer listed are stopped and removed (its workspace stays).
# The first push is best-effort: it fails until the deploy key is added to the
# repository, and the step says so instead of failing.
# Inputs (environment): OPENCLAW_SYNC_SCRIPT, OPENCLAW_SYNC_SERVICE, OPENCLAW_SYNC_TIMER,
# OPENCLAW_WORKSPACE_GIT_DIR (the main workspace's repository, under $HOME),
# OPENCLAW_SYNC_AGENTS (JSON array of {id, dir and gitDir (under $HOME), service,
# serviceText, timer}), OPENCLAW_SYNC_AGENT_UNIT_GLOBS (JSON array: every
# agent's units, as globs).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_SYNC_SCRIPT:?}" "${OPENCLAW_SYNC_SERVICE:?}" "${OPENCLAW_SYNC_TIMER:?}" "${OPENCLAW_WORKSPACE_GIT_DIR:?}"
agents="${OPENCLAW_SYNC_AGENTS:-[]}"
program="${HOME}/.local/lib/openclaw-infra/workspace-sync.sh"
units="${HOME}/.config/systemd/user"

install_text "$program" 0755 "$OPENCLAW_SYNC_SCRIPT" || true
# <timer> <service> <service text>: installs both; starts the timer, or restarts it when it changed.
install_timer() {
  local reload=0
  install_text "${units}/$2" 0644 "$3" && reload=1
  install_text "${units}/$1" 0644 "$OPENCLAW_SYNC_TIMER" && reload=1
  if [ "$reload" -eq 1 ]; then systemctl --user daemon-reload; fi
  if ! systemctl --user is-enabled --quiet "$1" || ! systemctl --user is-active --quiet "$1"; then
    systemctl --user enable --now "$1"
    mark_changed
  elif [ "$reload" -eq 1 ]; then
    systemctl --user restart "$1"
  fi
}
install_timer openclaw-workspace-sync.timer openclaw-workspace-sync.service "$OPENCLAW_SYNC_SERVICE"

declare -A declared=()
while IFS= read -r agent; do
  timer=$(jq -r '.timer' <<<"$agent")
  service=$(jq -r '.service' <<<"$agent")
  install_timer "$timer" "$service" "$(jq -r '.serviceText' <<<"$agent")"
  declared[$timer]=1
  declared[$service]=1
done < <(jq -c '.[]' <<<"$agents")

# An agent no longer listed: its timer stops and its units go.
reload=0
while IFS= read -r pattern; do
  while IFS= read -r path; do
    unit="${path##*/}"
    if [ -n "${declared[$unit]:-}" ]; then continue; fi
    say "removing ${unit} (its agent's workspace is no longer synced; the workspace stays)"
    remove_user_unit "$path"
    reload=1
  done < <(home_glob ".config/systemd/user/${pattern}")
done < <(jq -r '.[]' <<<"${OPENCLAW_SYNC_AGENT_UNIT_GLOBS:-[]}")
if [ "$reload" -eq 1 ]; then systemctl --user daemon-reload; fi

# <what> <workspace> <its repository> <output>: one sync now, as its unit runs
# it; a failure only tells what to do.
first_sync() {
  say "first sync of ${1} (best-effort)"
  if OPENCLAW_WORKSPACE="$2" OPENCLAW_WORKSPACE_GIT_DIR="$3" "$program"; then
    say "${1} synced"
  else
    say "the first sync did not push ${1}; add its deploy key (pulumi stack output ${4}) to the repository with write access: the timer retries"
  fi
}
first_sync "the workspace" "${OPENCLAW_HOME}/workspace" "${HOME}/${OPENCLAW_WORKSPACE_GIT_DIR}" workspaceDeployPublicKey
while IFS= read -r agent; do
  id=$(jq -r '.id' <<<"$agent")
  first_sync "agent ${id}'s workspace" "${HOME}/$(jq -r '.dir' <<<"$agent")" "${HOME}/$(jq -r '.gitDir' <<<"$agent")" \
    "agentWorkspaceDeployPublicKeys, key ${id}"
done < <(jq -c '.[]' <<<"$agents")
finish
