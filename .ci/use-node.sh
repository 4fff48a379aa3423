# Source this file: puts a Node >= 22 first on PATH, installing Node 24 from the npm registry
# package `node@24` into .tools/node24 when the machine's node is older.
_tributary_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_node_major)" -lt 22 ]; then
  _n24="$_tributary_root/.tools/node24"
  if [ ! -x "$_n24/node_modules/node/bin/node" ]; then
    echo "node $(node --version 2>/dev/null || echo none) is older than 22: installing node@24 into .tools/node24" >&2
    mkdir -p "$_n24"
    npm install --prefix "$_n24" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
  fi
  export PATH="$_n24/node_modules/node/bin:$PATH"
fi
unset -f _node_major
