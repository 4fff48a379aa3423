#!/usr/bin/env bash
# Installs what `npm run test:ops` needs and the unit / integration suites do not:
#   - buildah, podman, runc, debootstrap from Debian's packages (.ci/image/install-tools.sh);
#   - promtool (Prometheus rules: check + unit tests) and kubeconform (Kubernetes manifests), built from their Go
#     modules at the versions in .ci/ops-tools.env into a cache kept between runs on the same machine
#     ($TRIBUTARY_TOOLS_CACHE, default ~/.cache/tributary-ci). A first build of promtool takes minutes (its module
#     graph is large); later runs reuse the binary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/ops-tools.env"
cache="${TRIBUTARY_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tributary-ci}"

bash "$here/image/install-tools.sh"

command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || { echo "ops tools: Go is needed to build promtool and kubeconform" >&2; exit 1; }

build() { # module version name
  local dir="$cache/go-bin/$3@$2"
  if [ -x "$dir/$3" ]; then return 0; fi
  local start; start=$(date +%s)
  echo "ops tools: go install $1@$2…"
  mkdir -p "$dir"
  GOBIN="$dir" GOFLAGS="${GOFLAGS:--buildvcs=false}" go install "$1@$2"
  echo "ops tools: $3 $2 built in $(( $(date +%s) - start )) s"
}
build "$KUBECONFORM_MODULE" "$KUBECONFORM_VERSION" kubeconform
build "$PROMTOOL_MODULE" "$PROMTOOL_VERSION" promtool

# Kubernetes JSON schemas (no schema registry is reachable here): the wheel of kubernetes-validate, fetched with pip,
# unpacked to $cache/kubernetes-json-schema/<version>-local-strict/. Its schemas name themselves
# `"$id": "https://kubernetes.io/api/…"` and point at `"$ref": "/api/_definitions.json#…"`, which a validator would
# fetch from kubernetes.io; the unpacking drops the `$id`s and makes those refs relative (`_definitions.json#…`), so
# kubeconform resolves them in the folder. Nothing else in the schemas changes.
schemas="$cache/kubernetes-json-schema/$KUBERNETES_SCHEMA_VERSION-local-strict-relative"
if [ ! -f "$schemas/_definitions.json" ]; then
  echo "ops tools: Kubernetes $KUBERNETES_SCHEMA_VERSION schemas from kubernetes-validate==$KUBERNETES_VALIDATE_VERSION (pip)…"
  wheel_dir="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$wheel_dir" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  python3 - "$wheel_dir" "$schemas" "$KUBERNETES_SCHEMA_VERSION" <<'PY'
import glob, json, os, sys, zipfile
wheel_dir, target, version = sys.argv[1:]
prefix = f"kubernetes_validate/kubernetes-json-schema/{version}-local-strict/"
with zipfile.ZipFile(glob.glob(os.path.join(wheel_dir, "*.whl"))[0]) as wheel:
    names = [n for n in wheel.namelist() if n.startswith(prefix) and n.endswith(".json")]
    if not names:
        sys.exit(f"kubernetes-validate has no {version} schemas")
    os.makedirs(target + ".partial", exist_ok=True)
    def relative(node):
        if isinstance(node, dict):
            node.pop("$id", None)
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("/api/_definitions.json"):
                node["$ref"] = ref[len("/api/"):]
            for value in node.values():
                relative(value)
        elif isinstance(node, list):
            for value in node:
                relative(value)
    for name in names:
        schema = json.loads(wheel.read(name))
        relative(schema)
        with open(os.path.join(target + ".partial", name[len(prefix):]), "w") as out:
            json.dump(schema, out)
os.replace(target + ".partial", target)
PY
  rm -rf "$wheel_dir"
fi
echo "ops tools: ready in $cache"
