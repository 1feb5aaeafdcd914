#!/usr/bin/env bash
# Commits and pushes the OpenClaw workspace (memories, notes, skills) to its
# git remote. Installed on the host and run by openclaw-workspace-sync.timer;
# safe to run by hand through its unit (systemctl --user start
# openclaw-workspace-sync.service), which names the repository. Never
# force-pushes:
# - a workspace that was never committed adopts a non-empty remote first
#   instead of overwriting it;
# - local commits are rebased onto the remote (or merged when rebasing
#   conflicts) before pushing;
# - unrelated histories or conflicts stop the sync with a message.
set -euo pipefail

ws="${OPENCLAW_WORKSPACE:-${HOME}/.openclaw/workspace}"
# The repository lives outside the workspace, where only the host writes: the
# sandbox can write the workspace, and git runs the hooks and settings (core.
# fsmonitor, core.sshCommand, …) it finds in its repository, here as this user.
# The units and the first sync name it (one place: WORKSPACE_GIT_DIR and
# agentSyncNames in workspace-config.ts).
GIT_DIR="${OPENCLAW_WORKSPACE_GIT_DIR:?the repository of the workspace, set by its sync unit}"
GIT_WORK_TREE="$ws"
export GIT_DIR GIT_WORK_TREE
# And whatever a repository's config says, no hook or helper program runs,
# and nested repositories are never looked into (these reach every git this
# program starts, as command-line settings do).
export GIT_CONFIG_COUNT=4 \
  GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/dev/null \
  GIT_CONFIG_KEY_1=core.fsmonitor GIT_CONFIG_VALUE_1=false \
  GIT_CONFIG_KEY_2=diff.ignoreSubmodules GIT_CONFIG_VALUE_2=all \
  GIT_CONFIG_KEY_3=submodule.recurse GIT_CONFIG_VALUE_3=false
branch=main
remote_ref="refs/remotes/origin/${branch}"
log() { printf 'workspace-sync: %s\n' "$*"; }
die() {
  printf 'workspace-sync: error: %s\n' "$*" >&2
  exit 1
}

[ -d "$GIT_DIR" ] || die "no repository at ${GIT_DIR}: the setup-workspace step makes it"
cd "$ws"
git fetch --quiet origin ||
  die "cannot fetch from origin: is the deploy key added to the repository with write access?"

has_head() { git rev-parse --quiet --verify HEAD >/dev/null; }
has_remote() { git rev-parse --quiet --verify "$remote_ref" >/dev/null; }

if ! has_head && has_remote; then
  log "adopting origin/${branch} into a workspace that has never been committed"
  # Untracked files identical to the remote's (e.g. the .gitignore setup wrote)
  # would make checkout refuse: drop those, keep every other local file.
  while IFS= read -r -d '' f; do
    if [ "$(git hash-object -- "$f")" = "$(git rev-parse --quiet --verify "${remote_ref}:${f}" 2>/dev/null || true)" ]; then rm -f -- "$f"; fi
  done < <(git ls-files -z --others)
  # Refuses (and stops us) if an untracked local file would be overwritten.
  git checkout --quiet -B "$branch" --track "origin/${branch}" ||
    die "local files clash with origin/${branch}; move them aside and run again"
fi

# A repository inside the workspace (a project an agent cloned there, or one
# written from the sandbox) is not the sync's: git would run that
# repository's own settings to look into it. It stays out of every commit,
# and one committed earlier leaves the index (its files stay on disk).
left_out=()
while IFS= read -r -d '' dotgit; do
  left_out+=(":(exclude,literal)${dotgit%/.git}")
done < <(find . -mindepth 2 -name .git -prune -printf '%P\0')
while IFS= read -r -d '' path; do
  log "leaving ${path} out: it is a repository of its own"
  git rm --cached --quiet -- "$path"
done < <(git ls-files -z --stage | sed -z -n 's/^160000 [0-9a-f]* [0-3]\t//p')
git add --all -- . "${left_out[@]}"
if ! git diff --cached --quiet; then
  git commit --quiet -m "Auto-sync: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  log "committed local changes"
fi
has_head || {
  log "nothing to push yet"
  exit 0
}

if has_remote && ! git merge-base --is-ancestor "$remote_ref" HEAD; then
  git merge-base HEAD "$remote_ref" >/dev/null ||
    die "local and remote histories are unrelated; refusing to push (see the troubleshooting docs)"
  if ! git rebase --quiet "$remote_ref"; then
    git rebase --abort
    git merge --quiet --no-edit "$remote_ref" || {
      git merge --abort
      die "local and remote changes conflict; resolve by hand: git --git-dir=${GIT_DIR} --work-tree=${ws} status"
    }
  fi
  log "integrated remote changes"
fi

if has_remote && [ "$(git rev-parse HEAD)" = "$(git rev-parse "$remote_ref")" ]; then
  log "up to date"
  exit 0
fi
git push --quiet origin "HEAD:refs/heads/${branch}"
log "pushed $(git rev-parse --short HEAD)"
