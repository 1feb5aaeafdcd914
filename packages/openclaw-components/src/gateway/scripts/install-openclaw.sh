#!/usr/bin/env bash
# Step "install-openclaw": installs the pinned Node runtime (checksum-verified)
# and the pinned openclaw CLI side by side under /opt/openclaw, each version in
# its own directory, and links them into /usr/local/bin (non-login SSH PATH).
# Inputs (environment): OPENCLAW_VERSION, OPENCLAW_NODE_VERSION,
# OPENCLAW_NODE_DIST_URL, OPENCLAW_NODE_SHA256_X64, OPENCLAW_NODE_SHA256_ARM64,
# OPENCLAW_GATEWAY_PORT, OPENCLAW_RESTORE_PROGRAM (backup/scripts/openclaw-restore.sh,
# for a rollback the old release cannot start from).
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_VERSION:?}" "${OPENCLAW_NODE_VERSION:?}" "${OPENCLAW_NODE_DIST_URL:?}"
: "${OPENCLAW_NODE_SHA256_X64:?}" "${OPENCLAW_NODE_SHA256_ARM64:?}" "${OPENCLAW_GATEWAY_PORT:?}" "${OPENCLAW_RESTORE_PROGRAM:?}"

case "$(uname -m)" in
  x86_64) arch=x64 sha256="$OPENCLAW_NODE_SHA256_X64" ;;
  aarch64 | arm64) arch=arm64 sha256="$OPENCLAW_NODE_SHA256_ARM64" ;;
  *) fail "unsupported CPU architecture $(uname -m)" ;;
esac

# jq parses OpenClaw's JSON in later steps (schedules); curl fetches Node.
missing=()
for tool in curl jq; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  # A fresh Ubuntu host may still run apt-daily/unattended-upgrades: wait for
  # the dpkg lock instead of failing on it.
  sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q
  sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}"
  mark_changed
fi

root=/opt/openclaw
node_dir="${root}/node-v${OPENCLAW_NODE_VERSION}"
openclaw_dir="${root}/openclaw-${OPENCLAW_VERSION}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A directory only appears under its final name once complete (mv of a
# finished ".partial"), so an interrupted run is simply redone.
if [ ! -x "${node_dir}/bin/node" ]; then
  url="${OPENCLAW_NODE_DIST_URL%/}/v${OPENCLAW_NODE_VERSION}/node-v${OPENCLAW_NODE_VERSION}-linux-${arch}.tar.gz"
  say "downloading Node ${OPENCLAW_NODE_VERSION} (${arch})"
  curl -fsSL --retry 3 -o "${work}/node.tar.gz" "$url"
  printf '%s  %s\n' "$sha256" "${work}/node.tar.gz" | sha256sum -c --quiet - ||
    fail "checksum mismatch for ${url}"
  sudo install -d -m 0755 "$root"
  sudo rm -rf "${node_dir}.partial"
  sudo install -d -m 0755 "${node_dir}.partial"
  sudo tar -xzf "${work}/node.tar.gz" -C "${node_dir}.partial" --strip-components=1 --no-same-owner
  sudo mv -T "${node_dir}.partial" "$node_dir"
  mark_changed
fi
for bin in node npm npx; do
  if [ "$(readlink "/usr/local/bin/${bin}" || true)" != "${node_dir}/bin/${bin}" ]; then
    sudo ln -sfn "${node_dir}/bin/${bin}" "/usr/local/bin/${bin}"
    mark_changed
  fi
done

if [ ! -x "${openclaw_dir}/bin/openclaw" ]; then
  say "installing openclaw@${OPENCLAW_VERSION}"
  sudo rm -rf "${openclaw_dir}.partial"
  sudo env PATH="${node_dir}/bin:${PATH}" npm install --global --prefix "${openclaw_dir}.partial" \
    --no-fund --no-audit --no-update-notifier --loglevel=error "openclaw@${OPENCLAW_VERSION}"
  sudo mv -T "${openclaw_dir}.partial" "$openclaw_dir"
  mark_changed
fi
previous=$(readlink "${root}/current" || true)
binary_changed=0
upgrade=0
if [ -n "$previous" ] && [ "$previous" != "$openclaw_dir" ] && [ -x "${previous}/bin/openclaw" ] &&
  systemctl --user is-active --quiet openclaw-gateway.service; then
  upgrade=1
fi
if [ "$upgrade" -eq 1 ]; then
  # An upgrade of a running gateway: back up, check the live config with the
  # new version before switching, and switch back if it does not come up clean.
  say "upgrading openclaw $(basename "$previous") -> ${OPENCLAW_VERSION}: taking a verified backup first"
  if systemctl --user cat openclaw-backup.service >/dev/null 2>&1; then
    # The unit carries the configured keep count; start waits for the oneshot.
    marker="${work}/before-backup"
    touch "$marker"
    systemctl --user start openclaw-backup.service || fail "the pre-upgrade backup failed (journalctl --user -u openclaw-backup)"
    pre_upgrade_archive=$(find "${HOME}/backups" -maxdepth 1 -type f -name '*-openclaw-backup.tar.gz' -newer "$marker" -printf '%T@ %p\n' |
      sort -rn | sed -n '1s/^[^ ]* //p')
  else
    install -d -m 0700 "${HOME}/backups"
    # umask 077: the archive holds every secret OpenClaw keeps, as the timer's backups do.
    pre_upgrade_archive=$(
      umask 077
      openclaw backup create --verify --output "${HOME}/backups" --json | json_only | jq -r '.archivePath // empty'
    )
  fi
  if [ -z "$pre_upgrade_archive" ] || [ ! -f "$pre_upgrade_archive" ]; then
    fail "the pre-upgrade backup left no archive in ${HOME}/backups; not upgrading"
  fi
  say "pre-upgrade archive: $(basename "$pre_upgrade_archive")"
  if ! validation=$("${openclaw_dir}/bin/openclaw" config validate --json 2>&1); then
    printf '%s\n' "$validation" >&2
    fail "openclaw ${OPENCLAW_VERSION} rejects the live config; still running $(basename "$previous")"
  fi
fi
installed=$("${openclaw_dir}/bin/openclaw" --version)
case "$installed" in
  *"${OPENCLAW_VERSION}"*) ;;
  *) fail "${openclaw_dir} reports '${installed}', expected ${OPENCLAW_VERSION}; not switching to it" ;;
esac
if [ "$previous" != "$openclaw_dir" ]; then
  sudo ln -sfn "$openclaw_dir" "${root}/current"
  binary_changed=1
  mark_changed
fi
if [ "$(readlink /usr/local/bin/openclaw || true)" != "${root}/current/bin/openclaw" ]; then
  sudo ln -sfn "${root}/current/bin/openclaw" /usr/local/bin/openclaw
  mark_changed
fi

installed=$(openclaw --version)
case "$installed" in
  *"${OPENCLAW_VERSION}"*) say "openclaw ${OPENCLAW_VERSION} on $(node --version)" ;;
  *) fail "openclaw reports '${installed}', expected ${OPENCLAW_VERSION}" ;;
esac

if [ "$upgrade" -eq 1 ]; then
  say "restarting the gateway on ${OPENCLAW_VERSION}"
  systemctl --user restart openclaw-gateway.service
  problem=""
  if ! gateway_ready "$OPENCLAW_GATEWAY_PORT" 180; then
    problem="the gateway did not become ready; its last lines: $(journalctl --user -u openclaw-gateway.service -n 15 --no-pager 2>/dev/null | tr '\n' ' ')"
  else
    audit=$(openclaw security audit --json 2>/dev/null | json_only || true)
    critical=$(jq -r '.summary.critical // "unknown"' <<<"$audit" 2>/dev/null || echo unknown)
    if [ "$critical" != 0 ]; then
      ids=$(jq -r '[.findings[]? | select(.severity == "critical") | .checkId] | join(", ")' <<<"$audit" 2>/dev/null || true)
      problem="the security audit reports ${critical} critical finding(s)${ids:+: ${ids}}"
    fi
  fi
  if [ -n "$problem" ]; then
    say "rolling back to $(basename "$previous")"
    systemctl --user stop openclaw-gateway.service
    sudo ln -sfn "$previous" "${root}/current"
    # Once the new release has run it may have migrated the state database
    # to a schema the old one refuses to open (the old gateway would then
    # never start). The old release's own check says so; the archive taken
    # before the switch is the state it knows. The new release's state is
    # kept aside by the restore (<dir>.pre-restore-<time>).
    if ! openclaw config validate --json >/dev/null 2>&1; then
      say "$(basename "$previous") cannot open the state ${OPENCLAW_VERSION} left; restoring $(basename "$pre_upgrade_archive")"
      bash -c "$OPENCLAW_RESTORE_PROGRAM" openclaw-restore "$pre_upgrade_archive" "$OPENCLAW_GATEWAY_PORT" ||
        fail "openclaw ${OPENCLAW_VERSION} failed (${problem}); $(basename "$previous") is back but did not start from ${pre_upgrade_archive} either (journalctl --user -u openclaw-gateway)"
    else
      systemctl --user start openclaw-gateway.service
      wait_for_gateway "$OPENCLAW_GATEWAY_PORT"
    fi
    fail "openclaw ${OPENCLAW_VERSION} was rolled back to $(basename "$previous"): ${problem}"
  fi
elif [ "$binary_changed" -eq 1 ]; then
  restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"
fi
finish
