#!/usr/bin/env bash
# Step "setup-workspace": installs the deploy key (0600, from stdin), an SSH
# host alias that uses only that key, and makes ~/.openclaw/workspace the work
# tree of a git repository on branch main with the identity, a .gitignore and
# the remote. The repository itself lives outside the workspace, under
# ~/.openclaw/.infra/git/: the sandbox can write the workspace, and git runs
# the hooks and settings it finds in its repository as this user. A .git the
# workspace held from before moves there once, without its hooks or settings.
# Then the same for each other agent whose workspace has a repository of its
# own (its own key and alias), and removes the key and alias of an agent no
# longer listed (its workspace stays).
# Every file is written whole and only when it differs: re-runs change nothing.
# Inputs (environment): OPENCLAW_WORKSPACE_REMOTE, OPENCLAW_WORKSPACE_GIT_DIR (under
# $HOME), OPENCLAW_WORKSPACE_SSH_CONFIG,
# OPENCLAW_WORKSPACE_GITIGNORE, OPENCLAW_WORKSPACE_EXCLUDE (git's
# .git/info/exclude), OPENCLAW_GIT_USER_NAME, OPENCLAW_GIT_USER_EMAIL,
# OPENCLAW_AGENT_WORKSPACES (JSON array of {id, dir and gitDir (under $HOME), remote,
# sshConfig, keyFile, sshConfigFile (under $HOME)}), OPENCLAW_AGENT_SYNC_FILE_GLOBS
# (JSON array: every agent's key and alias files, as globs under $HOME).
# Stdin: the deploy keys (OpenSSH format) as JSON: {"main": key, "agents": {id: key}}.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_WORKSPACE_REMOTE:?}" "${OPENCLAW_WORKSPACE_SSH_CONFIG:?}" "${OPENCLAW_WORKSPACE_GITIGNORE:?}"
: "${OPENCLAW_WORKSPACE_EXCLUDE:?}" "${OPENCLAW_WORKSPACE_GIT_DIR:?}"
: "${OPENCLAW_GIT_USER_NAME:?}" "${OPENCLAW_GIT_USER_EMAIL:?}"
agents="${OPENCLAW_AGENT_WORKSPACES:-[]}"
keys=$(cat)
jq -e '.main | type == "string" and length > 0' <<<"$keys" >/dev/null 2>&1 ||
  fail "no deploy key on stdin (expected JSON with the main workspace's key)"

install -d -m 0700 "${HOME}/.ssh" "${HOME}/.ssh/config.d"
# <file under $HOME> <jq path of its key in the stdin document>
install_key() {
  local key
  key=$(jq -r "$2 // empty" <<<"$keys")
  [ -n "$key" ] || fail "no deploy key on stdin for ${2}"
  install_text "${HOME}/$1" 0600 "$key" || true
}
install_key .ssh/openclaw_workspace_ed25519 .main
install_text "${HOME}/.ssh/config.d/openclaw-workspace.conf" 0600 "$OPENCLAW_WORKSPACE_SSH_CONFIG" || true
# The alias files are pulled in by one Include line at the top of ~/.ssh/config
# (an Include after a Host block would only apply inside it).
include="Include config.d/*.conf"
if [ ! -f "${HOME}/.ssh/config" ] || [ "$(sed -n 1p "${HOME}/.ssh/config")" != "$include" ]; then
  existing=""
  if [ -f "${HOME}/.ssh/config" ]; then existing=$(grep -vxF "$include" "${HOME}/.ssh/config" || true); fi
  install_text "${HOME}/.ssh/config" 0600 "$(printf '%s\n%s' "$include" "$existing")" || true
fi

ensure_state_dirs
# <workspace directory> <remote> <repository>: the workspace is the work tree of
# a repository outside it, on branch main, that pushes there.
setup_repo() {
  local ws="$1" remote="$2" gd="$3" current
  g() { git --git-dir="$gd" --work-tree="$ws" "$@"; }
  mkdir -p "$ws"
  if [ ! -d "$gd" ]; then
    install -d -m 0700 "$(dirname "$gd")"
    if [ -d "${ws}/.git" ] && [ ! -L "${ws}/.git" ]; then
      say "moving the repository ${ws}/.git to ${gd}, out of the sandbox's reach; its hooks and settings stay behind"
      adopt_history "${ws}/.git" "$gd"
    else
      say "initialising ${gd} as the repository of ${ws} (branch main)"
      g init --quiet --initial-branch=main
    fi
    mark_changed
  fi
  set_git user.name "$OPENCLAW_GIT_USER_NAME"
  set_git user.email "$OPENCLAW_GIT_USER_EMAIL"
  # A user's own edits to .gitignore are kept: it is written only when absent.
  if [ ! -f "${ws}/.gitignore" ]; then install_text "${ws}/.gitignore" 0644 "$OPENCLAW_WORKSPACE_GITIGNORE" || true; fi
  # What must never be committed lives in git's own exclude file, which the
  # library owns: kept current on every run, whatever .gitignore says.
  install_text "${gd}/info/exclude" 0644 "$OPENCLAW_WORKSPACE_EXCLUDE" || true
  # OpenClaw's state committed before the exclude existed leaves the index (the
  # next sync commits the removal); the files stay on disk.
  if [ -n "$(g ls-files -- .openclaw | head -n 1)" ]; then
    say "untracking .openclaw/ in the workspace ${ws} (OpenClaw's state, never pushed from now on)"
    g rm -r --cached --quiet -- .openclaw
    mark_changed
  fi
  if ! current=$(g remote get-url origin 2>/dev/null); then
    g remote add origin "$remote"
    mark_changed
  elif [ "$current" != "$remote" ]; then
    g remote set-url origin "$remote"
    mark_changed
  fi
  say "workspace ${ws} → ${remote}"
}
# <old .git> <new repository>: a fresh repository that takes over only the old
# one's history, as copies (objects, refs, packed-refs, HEAD, shallow). The
# rest (config, hooks, info, index, reflogs, alternates) may have been written
# from the sandbox and is not carried over, nor is any link: a symlink would
# point the host's git at a file of the sandbox's choosing, and a hard link
# would stay writable from the workspace. Built aside and moved into place
# whole, so an interrupted run starts again from the old .git.
adopt_history() {
  local old="$1" gd="$2" part
  local partial="${gd}.partial"
  rm -rf "${partial:?}"
  git --git-dir="$partial" --work-tree="$ws" init --quiet --initial-branch=main
  rm -rf "${partial:?}/objects" "${partial:?}/refs" "${partial:?}/HEAD"
  for part in objects refs packed-refs HEAD shallow; do
    if [ -e "${old}/${part}" ] && [ ! -L "${old}/${part}" ]; then cp -R -P -- "${old}/${part}" "${partial}/${part}"; fi
  done
  find "$partial" -type l -delete
  rm -f "${partial}/objects/info/alternates" "${partial}/objects/info/http-alternates"
  mkdir -p "${partial}/objects/info" "${partial}/objects/pack" "${partial}/refs/heads" "${partial}/refs/tags"
  [ -f "${partial}/HEAD" ] || printf 'ref: refs/heads/main\n' >"${partial}/HEAD"
  mv "$partial" "$gd"
  # A repository without a commit yet (OpenClaw's `git init` of a brand-new
  # workspace takes git's default branch) starts on main like a new one.
  g rev-parse --quiet --verify HEAD >/dev/null || g symbolic-ref HEAD refs/heads/main
  # A fresh index from HEAD: the old one could hide files from the sync.
  g reset --quiet 2>/dev/null || true
  rm -rf "${old:?}"
}
set_git() { # <key> <value>, in the repository setup_repo works on
  if [ "$(g config --get "$1" || true)" != "$2" ]; then
    g config "$1" "$2"
    mark_changed
  fi
}
setup_repo "${OPENCLAW_HOME}/workspace" "$OPENCLAW_WORKSPACE_REMOTE" "${HOME}/${OPENCLAW_WORKSPACE_GIT_DIR}"

declare -A declared=()
while IFS= read -r agent; do
  id=$(jq -r '.id' <<<"$agent")
  key_file=$(jq -r '.keyFile' <<<"$agent")
  config_file=$(jq -r '.sshConfigFile' <<<"$agent")
  install_key "$key_file" ".agents[$(jq -cn --arg id "$id" '$id')]"
  install_text "${HOME}/${config_file}" 0600 "$(jq -r '.sshConfig' <<<"$agent")" || true
  declared[$key_file]=1
  declared[$config_file]=1
  setup_repo "${HOME}/$(jq -r '.dir' <<<"$agent")" "$(jq -r '.remote' <<<"$agent")" "${HOME}/$(jq -r '.gitDir' <<<"$agent")"
done < <(jq -c '.[]' <<<"$agents")
unset keys

# An agent no longer listed: its key and alias go, its workspace stays.
while IFS= read -r pattern; do
  while IFS= read -r file; do
    if [ -n "${declared[$file]:-}" ]; then continue; fi
    say "removing ~/${file} (its agent's workspace is no longer synced; the workspace stays)"
    rm -f "${HOME:?}/${file}"
    mark_changed
  done < <(home_glob "$pattern")
done < <(jq -r '.[]' <<<"${OPENCLAW_AGENT_SYNC_FILE_GLOBS:-[]}")
finish
