#!/usr/bin/env bash
# Step "build-sandbox-image": builds OpenClaw's base sandbox image and the
# custom image sessions run in, only when their inputs changed (a hash of both
# Dockerfiles and the versions is kept as an image label). After a rebuild it
# removes stale openclaw-sbx-* containers, which the gateway would otherwise
# reuse, and the images the rebuild replaced (about 1 GB each), and restarts
# the gateway. A first build (no image replaced, no stale container) leaves
# the running gateway alone: it holds nothing of an image that did not exist.
# Inputs (environment): OPENCLAW_SANDBOX_BASE_DOCKERFILE, OPENCLAW_SANDBOX_DOCKERFILE,
# OPENCLAW_SANDBOX_BASE_IMAGE, OPENCLAW_SANDBOX_IMAGE, OPENCLAW_VERSION,
# OPENCLAW_CLAUDE_CODE_VERSION, OPENCLAW_NODE_VERSION (only re-runs the step:
# the hash reads the installed node itself), OPENCLAW_GATEWAY_PORT.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_SANDBOX_BASE_DOCKERFILE:?}" "${OPENCLAW_SANDBOX_DOCKERFILE:?}" "${OPENCLAW_SANDBOX_BASE_IMAGE:?}"
: "${OPENCLAW_SANDBOX_IMAGE:?}" "${OPENCLAW_VERSION:?}" "${OPENCLAW_CLAUDE_CODE_VERSION:?}" "${OPENCLAW_GATEWAY_PORT:?}"

label=org.openclaw.infra.build-hash

refuse_root_image() { # <image id or tag>
  local user
  user=$(docker image inspect --format '{{ .Config.User }}' "$1")
  local name="${user%%:*}"
  # Docker reads a numeric user as a number: 00 and 0000 are root too.
  if [[ "$name" =~ ^[0-9]+$ ]]; then name="${name#"${name%%[!0]*}"}"; fi
  case "$name" in
    "" | root) fail "the sandbox image runs as '${user:-root}'; sandboxes must not run as root (end the Dockerfile with USER 1000:1000)" ;;
  esac
}
# The image carries the host's Node runtime: its version is an input too.
node_bin=$(readlink -f "$(command -v node)")
node_root=$(dirname "$(dirname "$node_bin")")
case "$node_root" in
  / | /usr | /usr/local) fail "node at ${node_bin} is not a self-contained runtime (expected the install-openclaw step's /opt/openclaw/node-v*)" ;;
esac
[ -d "${node_root}/lib/node_modules/npm" ] || fail "no npm next to ${node_bin}; expected a full Node runtime tree"
want=$(printf '%s\n' "$OPENCLAW_SANDBOX_BASE_DOCKERFILE" "$OPENCLAW_SANDBOX_DOCKERFILE" \
  "$OPENCLAW_SANDBOX_BASE_IMAGE" "$OPENCLAW_VERSION" "$OPENCLAW_CLAUDE_CODE_VERSION" "$(node --version)" | sha256_of_stdin)
have=$(docker image inspect --format "{{ index .Config.Labels \"${label}\" }}" "$OPENCLAW_SANDBOX_IMAGE" 2>/dev/null || true)
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
# Custom first: the base one is its parent and goes only after it.
replaced=()

if [ "$have" != "$want" ]; then
  for tag in "$OPENCLAW_SANDBOX_IMAGE" "$OPENCLAW_SANDBOX_BASE_IMAGE"; do
    id=$(image_id "$tag")
    if [ -n "$id" ]; then replaced+=("$id"); fi
  done
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  say "building ${OPENCLAW_SANDBOX_BASE_IMAGE}"
  printf '%s\n' "$OPENCLAW_SANDBOX_BASE_DOCKERFILE" >"${work}/base.Dockerfile"
  docker build --progress=plain --tag "$OPENCLAW_SANDBOX_BASE_IMAGE" --file "${work}/base.Dockerfile" "$work"

  say "building ${OPENCLAW_SANDBOX_IMAGE} (Node, Claude Code ${OPENCLAW_CLAUDE_CODE_VERSION}, git identity)"
  mkdir "${work}/context"
  # The host's own checksum-verified Node runtime goes into the image.
  cp -a "$node_root" "${work}/context/node"
  rm -f "${work}/context/node/README.md" "${work}/context/node/CHANGELOG.md" "${work}/context/node/LICENSE"
  printf '%s\n' "$OPENCLAW_SANDBOX_DOCKERFILE" >"${work}/context/Dockerfile"
  # Build untagged and check the user first: a refused image must never
  # replace the tag a running gateway uses.
  docker build --progress=plain \
    --build-arg "BASE_IMAGE=${OPENCLAW_SANDBOX_BASE_IMAGE}" \
    --build-arg "CLAUDE_CODE_VERSION=${OPENCLAW_CLAUDE_CODE_VERSION}" \
    --label "${label}=${want}" \
    --iidfile "${work}/image-id" "${work}/context"
  refuse_root_image "$(cat "${work}/image-id")"
  docker tag "$(cat "${work}/image-id")" "$OPENCLAW_SANDBOX_IMAGE"
  mark_changed
fi
refuse_root_image "$OPENCLAW_SANDBOX_IMAGE"

if [ "$STEP_CHANGED" -eq 1 ]; then
  stale=$(docker ps --all --quiet --filter "name=openclaw-sbx-")
  if [ -n "$stale" ] || [ "${#replaced[@]}" -gt 0 ]; then restart=1; else restart=0; fi
  if [ -n "$stale" ]; then
    say "removing stale sandbox containers"
    # shellcheck disable=SC2086 # one id per word, by design
    docker rm --force $stale >/dev/null
  fi
  current=" $(image_id "$OPENCLAW_SANDBOX_IMAGE") $(image_id "$OPENCLAW_SANDBOX_BASE_IMAGE") "
  for id in "${replaced[@]}"; do
    [[ "$current" != *" ${id} "* ]] || continue
    # Removing the custom image also removes its untagged parents.
    [ -n "$(image_id "$id")" ] || continue
    if docker image rm "$id" >/dev/null 2>&1; then
      say "removed the replaced image ${id:7:12}"
    else
      say "kept the replaced image ${id:7:12} (still in use)"
    fi
  done
  if [ "$restart" -eq 1 ]; then restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"; fi
fi
finish
