#!/usr/bin/env bash
# Create one venv per peer tool under benchmarks/.peers-venv/<tool>/ (git-ignored), pinned by requirements-peers.txt.
# Usage: bash benchmarks/setup_peers.sh [tool ...]   (default: litstudy pybibx biblium; existing venvs are kept)
# pybibx pulls torch and transformers (several GB); a peer that fails to install is reported and skipped.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
python="${PEERS_PYTHON:-$here/../.venv/bin/python}"   # same interpreter version as the project
[ -x "$python" ] || python=python3
tools=("$@")
[ ${#tools[@]} -eq 0 ] && tools=(litstudy pybibx biblium)
for tool in "${tools[@]}"; do
  venv="$here/.peers-venv/$tool"
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import importlib.metadata as m; m.version('$tool')" 2>/dev/null; then
    # keep an existing venv, but bring it to the pins (cheap when already there)
    "$venv/bin/python" -m pip install -q -c "$here/requirements-peers.txt" "$tool" pandas \
      && echo "$tool: already installed in $venv (pins checked)" || echo "$tool: PIN UPDATE FAILED"
    continue
  fi
  "$python" -m venv "$venv" && "$venv/bin/python" -m pip install -q --upgrade pip \
    && "$venv/bin/python" -m pip install -q -c "$here/requirements-peers.txt" "$tool" \
    && echo "$tool: installed" || echo "$tool: INSTALL FAILED (see pip output above)"
done
