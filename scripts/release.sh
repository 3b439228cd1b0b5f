#!/usr/bin/env bash
# Cut a release the way the actions/* repositories do: an immutable tag vX.Y.Z on a commit of
# main whose checks passed, and the major tag vX moved to it (users of @v1 get it; users who pin
# @vX.Y.Z or a SHA do not). Pushing vX.Y.Z starts .github/workflows/release.yml, which checks
# the tagged dist/ again and publishes the GitHub release with the CHANGELOG section.
#
#   scripts/release.sh X.Y.Z           check, tag vX.Y.Z, move vX; print the push commands
#   scripts/release.sh X.Y.Z --push    the same, then push both tags to origin
set -euo pipefail

usage() { echo "usage: scripts/release.sh X.Y.Z [--push]" >&2; exit 2; }
die() { echo "release: $*" >&2; exit 1; }

[[ $# -ge 1 && $# -le 2 ]] || usage
version=$1
push=false
if [[ $# -eq 2 ]]; then [[ $2 == --push ]] || usage; push=true; fi
[[ $version =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]] \
  || die "'$version' is not X.Y.Z (no leading v, no pre-release suffix)"
major="v${BASH_REMATCH[1]}"
tag="v$version"

cd "$(git rev-parse --show-toplevel)"
branch=$(git rev-parse --abbrev-ref HEAD)
[[ $branch == main ]] || die "release from main, not '$branch'"
[[ -z "$(git status --porcelain)" ]] || die "the working tree has uncommitted changes"
! git rev-parse -q --verify "refs/tags/$tag" >/dev/null || die "$tag already exists"

# The new version must be greater than every released one.
latest=$(git tag --list 'v[0-9]*.[0-9]*.[0-9]*' | sed 's/^v//' | sort -t. -k1,1n -k2,2n -k3,3n | tail -n1)
if [[ -n $latest ]]; then
  newest=$(printf '%s\n%s\n' "$latest" "$version" | sort -t. -k1,1n -k2,2n -k3,3n | tail -n1)
  [[ $newest == "$version" && $latest != "$version" ]] || die "$tag is not newer than v$latest"
fi

pkg_version=$(node -p 'require("./package.json").version')
[[ $pkg_version == "$version" ]] \
  || die "package.json says $pkg_version: set \"version\": \"$version\" (and package-lock.json: npm install --package-lock-only) and commit"
grep -Eq "^## \[?$tag\]? " CHANGELOG.md || grep -Eq "^## \[?$tag\]?$" CHANGELOG.md \
  || die "CHANGELOG.md has no '## $tag' section"
! grep -Eq "^## \[?$tag\]? .*unreleased" CHANGELOG.md \
  || die "CHANGELOG.md still marks $tag as unreleased: give it today's date and commit"
[[ -f dist/index.js && -f dist/licenses.txt ]] || die "dist/ is not committed"

git tag -a "$tag" -m "$tag"
# The major tag follows the newest release of its major version (force: it moves).
git tag -fa "$major" -m "$major (currently $tag)" "$tag^{commit}"
echo "tagged $tag and moved $major to $(git rev-parse --short "$tag^{commit}")"

if $push; then
  git push origin "refs/tags/$tag"
  git push --force origin "refs/tags/$major"
else
  echo "to publish: git push origin refs/tags/$tag && git push --force origin refs/tags/$major"
fi
