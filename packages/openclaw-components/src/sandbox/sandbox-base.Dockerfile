# OpenClaw's default sandbox image (openclaw-sandbox:bookworm-slim), as given
# in the docs bundled with the pinned openclaw release
# (docs/gateway/sandboxing/images-and-setup.md). The npm package ships no
# Dockerfile, and OpenClaw does not fall back to plain Debian when this image
# is missing, so the library builds it on the host.
FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
  bash ca-certificates curl git jq python3 ripgrep \
  && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --shell /bin/bash sandbox
USER sandbox
WORKDIR /home/sandbox
CMD ["sleep", "infinity"]
