#!/bin/sh
# Install the Debian packages named in $DEBS that are missing: with apt-get as root,
# otherwise print the exact command and stop.
set -eu
missing=""
for deb in $DEBS; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing="$missing $deb"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "Installing Debian packages:$missing"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
else
  echo "These Debian packages are missing:$missing"
  echo "Install them, then run make again:"
  echo "  sudo apt-get install -y$missing"
  exit 1
fi
