#!/usr/bin/env bash
# Rebuild src/lapis/static/govuk/ from GOV.UK Frontend: `make assets` (needs node and npm).
#
# The output is committed, so installing or running LAPIS needs no JavaScript tool chain.
# Set GOVUK_FRONTEND_VERSION=latest (or another version) to upgrade, then update
# src/lapis/static/govuk/README.md and look at the pages.
set -euo pipefail

GOVUK_FRONTEND_VERSION="${GOVUK_FRONTEND_VERSION:-6.6.0}"
SASS_VERSION="${SASS_VERSION:-1.108.2}"

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/src/lapis/static/govuk"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent \
  "govuk-frontend@$GOVUK_FRONTEND_VERSION" "sass@$SASS_VERSION"
dist="$work/node_modules/govuk-frontend/dist/govuk"

# The pkg: importer resolves packages from the entry file's folder, so compile a copy here.
cp "$root/assets/lapis.scss" "$work/lapis.scss"
npx --no-install sass --pkg-importer=node --style=compressed --no-source-map \
  "$work/lapis.scss" "$work/lapis.css"

# No crown: LAPIS is not a GOV.UK service. The footer's copyright crest is the only image the
# CSS names; LAPIS never renders that element, so drop the reference rather than ship the crest
# (a missing file would also break collectstatic's manifest storage).
sed -E -i 's#url\("[^"]*govuk-crest\.svg"\)#none#g' "$work/lapis.css"
# No web fonts either.
if grep -q -e "GDS Transport" -e "@font-face" -e "govuk-crest" "$work/lapis.css"; then
  echo "build.sh: lapis.css still refers to GDS Transport or the crest" >&2
  exit 1
fi
if grep -q "url(" "$work/lapis.css"; then
  echo "build.sh: lapis.css refers to a file that is not shipped:" >&2
  grep -o 'url([^)]*)' "$work/lapis.css" | sort -u >&2
  exit 1
fi

mkdir -p "$out/assets/images"
cp "$work/lapis.css" "$out/lapis.css"
# Without its source map (not shipped): collectstatic's manifest storage would look for it.
sed -E 's#//\# sourceMappingURL=[^ ]*$##' "$dist/govuk-frontend.min.js" >"$out/govuk-frontend.min.js"
# The GOV.UK images are all the crown (Crown copyright, for GOV.UK only), so none are copied:
# assets/images/favicon.svg is LAPIS's own, kept as it is.

version="$(node -p "require('./node_modules/govuk-frontend/package.json').version")"
echo "Built $out/lapis.css ($(wc -c <"$out/lapis.css") bytes) from govuk-frontend $version"
