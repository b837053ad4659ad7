#!/bin/sh
# Whether this checkout recovers the same paragraphs as another one (for changes meant to keep
# the output, such as speed work): every chapter of ../shared/corpus/dev-modern, dev and train
# through the flat-text passes of both checkouts' dist/ (test/bench/paragraphs.ts --dump), where
# each recovered paragraph starts compared chapter by chapter. Both checkouts must be built
# (npm run build; and tsc -p test/bench/tsconfig.json here).
# usage: scripts/compare-paragraphs.sh OTHER_CHECKOUT [CORPUS_DIR...]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
other=$(cd "$1" && pwd)
shift
[ $# -gt 0 ] || set -- "$here/../shared/corpus/dev-modern" "$here/../shared/corpus/dev" "$here/../shared/corpus/train"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node "$here/dist/bench/paragraphs.js" --root "$other" --dump "$tmp/other.tsv" "$@" >/dev/null
node "$here/dist/bench/paragraphs.js" --root "$here" --dump "$tmp/here.tsv" "$@" >/dev/null
chapters=$(wc -l <"$tmp/here.tsv")
paragraphs=$(tr '\t ' '\n\n' <"$tmp/here.tsv" | grep -c '^[0-9]')
if cmp -s "$tmp/other.tsv" "$tmp/here.tsv"; then
  echo "same paragraphs: $chapters chapters, $paragraphs paragraphs"
else
  echo "DIFFERENT paragraphs in $(diff "$tmp/other.tsv" "$tmp/here.tsv" | grep -c '^>') of $chapters chapters:"
  diff "$tmp/other.tsv" "$tmp/here.tsv" | cut -c1-160 | head -20
  exit 1
fi
