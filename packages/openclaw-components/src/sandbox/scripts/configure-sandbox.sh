#!/usr/bin/env bash
# Step "configure-sandbox": points the gateway at the sandbox image
# (agents.defaults.sandbox.*). Runs after the image exists, so the gateway is
# never configured with an image that has not been built.
# Inputs (environment): OPENCLAW_CONFIG_PATCH (JSON), OPENCLAW_SANDBOX_IMAGE,
# OPENCLAW_GATEWAY_PORT.
# Rendered after remote/scripts/lib.sh (remote/step.ts). The no-op source
# below only points the linter at those shared helpers.
# shellcheck source=SCRIPTDIR/../../remote/scripts/lib.sh
. /dev/null

: "${OPENCLAW_CONFIG_PATCH:?}" "${OPENCLAW_SANDBOX_IMAGE:?}" "${OPENCLAW_GATEWAY_PORT:?}"

docker image inspect "$OPENCLAW_SANDBOX_IMAGE" >/dev/null 2>&1 ||
  fail "sandbox image ${OPENCLAW_SANDBOX_IMAGE} does not exist; refusing to configure the gateway with it"
apply_config_patch sandbox "$OPENCLAW_CONFIG_PATCH"
if [ "$STEP_CHANGED" -eq 1 ]; then restart_gateway_if_running "$OPENCLAW_GATEWAY_PORT"; fi
finish
