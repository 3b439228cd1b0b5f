#!/usr/bin/env bash
# Builds and installs OpenPBS for the tests (the real PBS of test/setup/pbs.global.ts).
# Idempotent: an install already at the prefix is reused as it is.
#   QQ_SYNC_OPENPBS_SRC     the source tarball (default: ../shared/vendor/openpbs-cd7ab5e.tar.gz
#                           from the project root)
#   QQ_SYNC_OPENPBS_PREFIX  where it is installed (default /opt/pbs; the setup expects /opt/pbs)
#   QQ_SYNC_OPENPBS_BUILD   scratch directory for the build (default /var/tmp/qq-sync-openpbs)
# The build's output goes to $QQ_SYNC_OPENPBS_BUILD/build.log; only its tail is printed on failure.
# Needs root: it installs the missing Debian build dependencies and writes the prefix.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
src=${QQ_SYNC_OPENPBS_SRC:-$root/../shared/vendor/openpbs-cd7ab5e.tar.gz}
prefix=${QQ_SYNC_OPENPBS_PREFIX:-/opt/pbs}
work=${QQ_SYNC_OPENPBS_BUILD:-/var/tmp/qq-sync-openpbs}
log=$work/build.log

installed() {
  [[ -x $prefix/sbin/pbs_server.bin && -x $prefix/bin/qstat && -x $prefix/libexec/pbs_postinstall ]]
}
if installed; then
  echo "OpenPBS already installed at $prefix: reused"
  exit 0
fi
if [[ ! -f $src ]]; then
  echo "OpenPBS source not found: $src (set QQ_SYNC_OPENPBS_SRC to the path of openpbs-cd7ab5e.tar.gz)" >&2
  exit 1
fi
if [[ $(id -u) != 0 ]]; then
  echo "building OpenPBS into $prefix needs root" >&2
  exit 1
fi

# The Debian packages OpenPBS needs to build and run (installed only when missing).
deps=(gcc g++ make libtool autoconf automake pkg-config libhwloc-dev libx11-dev libxt-dev
  libedit-dev libical-dev libncurses-dev perl postgresql postgresql-contrib
  postgresql-server-dev-all python3-dev tcl-dev tk-dev swig libexpat1-dev libssl-dev libxext-dev
  libxft-dev libcjson-dev)
missing=()
for p in "${deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing OpenPBS build dependencies: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# One build at a time (CI and a test run's global setup may both ask): wait for the other.
mkdir -p "$(dirname "$work")"
exec 9>"$work.lock"
flock 9
if installed; then
  echo "OpenPBS installed at $prefix by another build: reused"
  exit 0
fi
rm -rf "$work"
mkdir -p "$work"
echo "building OpenPBS from $src into $prefix (log: $log)"
start=$SECONDS
step() {
  if ! "$@" >>"$log" 2>&1; then
    echo "OpenPBS build failed at: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}
step tar -xzf "$src" -C "$work"
cd "$work/openpbs"
step ./autogen.sh
# configure would take the first python3 on PATH (a pyenv one on some machines): the system one.
step ./configure --prefix="$prefix" PYTHON=/usr/bin/python3 --with-python=/usr
step make -j"$(nproc)"
step make install
echo "OpenPBS built and installed in $((SECONDS - start)) s"
