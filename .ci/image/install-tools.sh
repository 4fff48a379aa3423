#!/usr/bin/env bash
# Installs the daemonless image tools from Debian's packages when missing: buildah (builds the Dockerfile, no
# Docker daemon), podman + runc (runs the image), debootstrap (the Debian root filesystem of the Node base).
# Idempotent and quiet; needs root (or passwordless sudo).
set -euo pipefail
missing=()
for tool in buildah:buildah podman:podman runc:runc debootstrap:debootstrap; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "image tools: ${missing[*]} missing and this user is not root (no sudo)" >&2; exit 1; }
  SUDO="sudo -n"
fi
echo "image tools: installing ${missing[*]} (apt-get)…"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "image tools: $(buildah --version), $(podman --version)"
