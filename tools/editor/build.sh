#!/bin/sh
# Rebuilds the admin's story editor into admin/static/editor/ (vendored: the
# server needs neither Node nor the network at run time). Run it after
# changing src/ or package.json, and commit the output:
#   sh tools/editor/build.sh
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
out=../../admin/static/editor
mkdir -p "$out"
./node_modules/.bin/esbuild src/index.js --bundle --minify --format=iife --global-name=NewsroomEditor \
  --target=es2020 --charset=utf8 --legal-comments=none --metafile=/tmp/newsroom-editor-meta.json \
  --outfile="$out/editor.js"
cp src/editor.css "$out/editor.css"
node licenses.mjs /tmp/newsroom-editor-meta.json > "$out/LICENSES.txt"
rm -f /tmp/newsroom-editor-meta.json
