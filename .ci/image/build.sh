#!/usr/bin/env bash
# Builds the Dockerfile without a Docker daemon: buildah, chroot isolation (the runtime's namespaces and cgroups
# are not needed for RUN steps, and crun/runc cannot set this sandbox's rlimits, see env.sh), Docker image format
# (OCI images have no HEALTHCHECK). The base is the local node:24-slim stand-in (node-base.sh) unless
# TRIBUTARY_NODE_IMAGE names another; the host's npm cache is mounted for `npm ci` so a warm machine downloads
# nothing. Prints the image size on its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/env.sh"

base="${TRIBUTARY_NODE_IMAGE:-}"
if [ -z "$base" ]; then
  bash "$here/node-base.sh"
  base="$TRIBUTARY_NODE_BASE"
fi
cache="$(npm config get cache)"
mkdir -p "$cache"
start=$(date +%s)
echo "image: buildah bud $TRIBUTARY_IMAGE (FROM $base)…"
buildah "${IMAGE_STORE_FLAGS[@]}" bud --quiet --layers --isolation chroot --format docker \
  --build-arg "NODE_IMAGE=$base" \
  --volume "$cache:/root/.npm" \
  --tag "$TRIBUTARY_IMAGE" \
  --file "$root/Dockerfile" "$root" >/dev/null
size="$(podman "${PODMAN_FLAGS[@]}" image inspect --format '{{.Size}}' "$TRIBUTARY_IMAGE")"
echo "image: built $TRIBUTARY_IMAGE in $(( $(date +%s) - start )) s, $(( size / 1000000 )) MB ($size bytes)"
# Keep the store from growing run after run: dangling images (replaced tags, old build stages) older than a day go;
# the recent ones stay as the layer cache of the next build.
podman "${PODMAN_FLAGS[@]}" image prune --force --filter until=24h >/dev/null 2>&1 || true
