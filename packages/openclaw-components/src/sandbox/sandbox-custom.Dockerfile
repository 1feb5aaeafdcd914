# The sandbox image every session runs in: OpenClaw's base image plus Node,
# Claude Code and a git identity. Built on the host by build-sandbox-image.sh;
# the build context holds the host's own verified Node runtime as node/.
ARG BASE_IMAGE=openclaw-sandbox:bookworm-slim
FROM ${BASE_IMAGE}
ARG CLAUDE_CODE_VERSION=latest
ARG GIT_USER_NAME="OpenClaw Agent"
ARG GIT_USER_EMAIL="openclaw-agent@localhost"

USER root
# Claude Code needs Node >= 22; Debian bookworm's nodejs is 18. Reuse the
# checksum-verified Node the host already runs instead of downloading again.
COPY node/ /usr/local/
# Claude Code's postinstall fetches its native binary: allow it explicitly, as
# newer npm releases no longer run install scripts by default.
RUN npm install --global --no-fund --no-audit --allow-scripts=@anthropic-ai/claude-code "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" \
  && npm cache clean --force \
  && git config --system user.name "${GIT_USER_NAME}" \
  && git config --system user.email "${GIT_USER_EMAIL}" \
  && git config --system init.defaultBranch main \
  && git config --system --add safe.directory /workspace

# @EXTRA_LINES@

# Sessions run as UID 1000, never root: with OpenClaw's dropped capabilities a
# root user cannot write the workspace the host bind-mounts (owned by 1000).
USER 1000:1000
WORKDIR /workspace
CMD ["sleep", "infinity"]
