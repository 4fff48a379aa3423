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
# A network whose TLS is re-signed by a proxy (a company CA) needs the same trust inside the build as outside: when
# the host's npm has a `cafile`, the build's npm gets it too, through a mounted user npmrc (mounts never end up in
# the image's layers).
tls_mounts=()
cafile="$(npm config get cafile 2>/dev/null || true)"
if [ -n "$cafile" ] && [ "$cafile" != null ] && [ -f "$cafile" ]; then
  npmrc="$(mktemp)"
  trap 'rm -f "$npmrc"' EXIT
  printf 'cafile=/run/tributary-build/ca.crt\n' >"$npmrc"
  tls_mounts=(--volume "$cafile:/run/tributary-build/ca.crt:ro" --volume "$npmrc:/root/.npmrc:ro")
fi
start=$(date +%s)
echo "image: buildah bud $TRIBUTARY_IMAGE (FROM $base)…"
log="$(mktemp)"
buildah "${IMAGE_STORE_FLAGS[@]}" bud --layers --isolation chroot --format docker ${TRIBUTARY_IMAGE_NO_CACHE:+--no-cache} \
  --build-arg "NODE_IMAGE=$base" \
  --volume "$cache:/root/.npm" "${tls_mounts[@]}" \
  --tag "$TRIBUTARY_IMAGE" \
  --file "$root/Dockerfile" "$root" >"$log" 2>&1 || { tail -n 40 "$log" >&2; rm -f "$log"; exit 1; }
rm -f "$log"
size="$(podman "${PODMAN_FLAGS[@]}" image inspect --format '{{.Size}}' "$TRIBUTARY_IMAGE")"
echo "image: built $TRIBUTARY_IMAGE in $(( $(date +%s) - start )) s, $(( size / 1000000 )) MB ($size bytes)"
# Keep the store from growing run after run: dangling images (replaced tags, old build stages) older than a day go;
# the recent ones stay as the layer cache of the next build.
podman "${PODMAN_FLAGS[@]}" image prune --force --filter until=24h >/dev/null 2>&1 || true
