#!/usr/bin/env bash
# podman with the store and the flags this sandbox needs (env.sh): `.ci/image/podman.sh run --rm IMAGE demo`.
# `run` and `create` also get the rlimits env.sh computed; every other command is passed through.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"
case "${1:-}" in
  run | create) command="$1"; shift; exec podman "${PODMAN_FLAGS[@]}" "$command" "${PODMAN_RUN_FLAGS[@]}" "$@" ;;
  *) exec podman "${PODMAN_FLAGS[@]}" "$@" ;;
esac
