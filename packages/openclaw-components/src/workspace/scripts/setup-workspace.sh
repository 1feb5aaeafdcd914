#!/usr/bin/env bash
# Step "setup-workspace": installs the deploy key (0600, from stdin), an SSH
# host alias that uses only that key, and makes ~/.openclaw/workspace a git
# repository on branch main with the identity, a .gitignore and the remote.
# Every file is written whole and only when it differs: re-runs change nothing.
# Inputs (environment): OPENCLAW_WORKSPACE_REMOTE, OPENCLAW_WORKSPACE_SSH_CONFIG,
# OPENCLAW_WORKSPACE_GITIGNORE, OPENCLAW_WORKSPACE_EXCLUDE (git's
# .git/info/exclude), OPENCLAW_GIT_USER_NAME, OPENCLAW_GIT_USER_EMAIL.
# Stdin: the deploy private key (OpenSSH format).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_WORKSPACE_REMOTE:?}" "${OPENCLAW_WORKSPACE_SSH_CONFIG:?}" "${OPENCLAW_WORKSPACE_GITIGNORE:?}"
: "${OPENCLAW_WORKSPACE_EXCLUDE:?}"
: "${OPENCLAW_GIT_USER_NAME:?}" "${OPENCLAW_GIT_USER_EMAIL:?}"
key=$(cat)
[ -n "$key" ] || fail "no deploy key on stdin"

install -d -m 0700 "${HOME}/.ssh" "${HOME}/.ssh/config.d"
install_text "${HOME}/.ssh/openclaw_workspace_ed25519" 0600 "$key" || true
unset key
install_text "${HOME}/.ssh/config.d/openclaw-workspace.conf" 0600 "$OPENCLAW_WORKSPACE_SSH_CONFIG" || true
# The alias file is pulled in by one Include line at the top of ~/.ssh/config
# (an Include after a Host block would only apply inside it).
include="Include config.d/*.conf"
if [ ! -f "${HOME}/.ssh/config" ] || [ "$(sed -n 1p "${HOME}/.ssh/config")" != "$include" ]; then
  existing=""
  if [ -f "${HOME}/.ssh/config" ]; then existing=$(grep -vxF "$include" "${HOME}/.ssh/config" || true); fi
  install_text "${HOME}/.ssh/config" 0600 "$(printf '%s\n%s' "$include" "$existing")" || true
fi

ws="${OPENCLAW_HOME}/workspace"
ensure_state_dirs
mkdir -p "$ws"
if [ ! -d "${ws}/.git" ]; then
  say "initialising ${ws} as a git repository (branch main)"
  git -C "$ws" init --quiet --initial-branch=main
  mark_changed
fi
set_git() {
  if [ "$(git -C "$ws" config --get "$1" || true)" != "$2" ]; then
    git -C "$ws" config "$1" "$2"
    mark_changed
  fi
}
set_git user.name "$OPENCLAW_GIT_USER_NAME"
set_git user.email "$OPENCLAW_GIT_USER_EMAIL"
# A user's own edits to .gitignore are kept: it is written only when absent.
if [ ! -f "${ws}/.gitignore" ]; then install_text "${ws}/.gitignore" 0644 "$OPENCLAW_WORKSPACE_GITIGNORE" || true; fi
# What must never be committed lives in git's own exclude file, which the
# library owns: kept current on every run, whatever .gitignore says.
install_text "${ws}/.git/info/exclude" 0644 "$OPENCLAW_WORKSPACE_EXCLUDE" || true
# OpenClaw's state committed before the exclude existed leaves the index (the
# next sync commits the removal); the files stay on disk.
if [ -n "$(git -C "$ws" ls-files -- .openclaw | head -n 1)" ]; then
  say "untracking .openclaw/ in the workspace (OpenClaw's state, never pushed from now on)"
  git -C "$ws" rm -r --cached --quiet -- .openclaw
  mark_changed
fi
if ! current=$(git -C "$ws" remote get-url origin 2>/dev/null); then
  git -C "$ws" remote add origin "$OPENCLAW_WORKSPACE_REMOTE"
  mark_changed
elif [ "$current" != "$OPENCLAW_WORKSPACE_REMOTE" ]; then
  git -C "$ws" remote set-url origin "$OPENCLAW_WORKSPACE_REMOTE"
  mark_changed
fi
say "workspace ${ws} → ${OPENCLAW_WORKSPACE_REMOTE}"
finish
