# Source this file: names, places and flags the image scripts (.ci/image/*.sh) and test/ops share.
#   TRIBUTARY_IMAGE_STORE  containers/storage root for buildah and podman (default /var/tmp/tributary-image), apart
#                          from the machine's default store so CI never touches other images; kept between runs on
#                          the same machine (the Node base is reused from there).
#   TRIBUTARY_IMAGE        the tag the Dockerfile is built as (default localhost/tributary:ci).
#   TRIBUTARY_NODE_BASE    the local stand-in for node:24-slim that node-base.sh builds (no Docker Hub here).
TRIBUTARY_IMAGE_STORE="${TRIBUTARY_IMAGE_STORE:-/var/tmp/tributary-image}"
TRIBUTARY_IMAGE="${TRIBUTARY_IMAGE:-localhost/tributary:ci}"
TRIBUTARY_NODE_BASE="${TRIBUTARY_NODE_BASE:-localhost/tributary-node-base:24-bookworm}"
export TRIBUTARY_IMAGE_STORE TRIBUTARY_IMAGE TRIBUTARY_NODE_BASE

# Global flags for buildah and podman: one store, overlay (root on ext4/xfs; set TRIBUTARY_IMAGE_STORAGE_DRIVER=vfs
# where overlay mounts are refused, e.g. inside an unprivileged container).
IMAGE_STORE_FLAGS=(--root "$TRIBUTARY_IMAGE_STORE/storage" --runroot "$TRIBUTARY_IMAGE_STORE/run" --storage-driver "${TRIBUTARY_IMAGE_STORAGE_DRIVER:-overlay}")

# What this sandbox needs for `podman run` (found by trying, see docs/operations.md "Building the image without Docker"):
# - crun refuses the hybrid cgroup v1/v2 layout ("cgroups in hybrid mode not supported"): use runc with cgroupfs
#   (no systemd here).
# - the sandbox lacks CAP_SYS_RESOURCE, and podman lowers its own RLIMIT_NPROC to 32768 before starting the runtime,
#   so the default rlimits (nofile 1048576) cannot be set: ask for no more than what this process already has.
_nofile_hard="$(ulimit -Hn)"; _nproc_hard="$(ulimit -Hu)"
[ "$_nofile_hard" = unlimited ] && _nofile_hard=1048576
{ [ "$_nproc_hard" = unlimited ] || [ "$_nproc_hard" -gt 32768 ]; } && _nproc_hard=32768
PODMAN_FLAGS=("${IMAGE_STORE_FLAGS[@]}" --runtime runc --cgroup-manager cgroupfs)
PODMAN_RUN_FLAGS=(--ulimit "nofile=$_nofile_hard:$_nofile_hard" --ulimit "nproc=$_nproc_hard:$_nproc_hard")
unset _nofile_hard _nproc_hard
