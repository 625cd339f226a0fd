#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
#   chromium (Playwright end-to-end tests), postgresql (storage conformance suite),
#   espeak-ng + sox (fake microphone audio for later media tests),
#   ffmpeg (ffprobe/ffmpeg check the fMP4 the media packager writes),
#   nginx (the caching edge tests run the config `amphi edge nginx-conf` renders),
#   icecast2 (the fan-out benchmark's baseline),
#   redis-server + haproxy (`amphi cluster`: the fleet's shared state and its API balancer),
#   fonts-dejavu-core (the link-preview cards: resvg renders them with DejaVu Sans).
#   Packages that ship a service try to start it on install; where services may not start
#   (containers), that refusal is harmless.
# Called by `npm test`; safe to run again (it only installs what is missing).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || need+=(postgresql)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
{ command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; } || need+=(ffmpeg)
{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || need+=(nginx)
{ command -v icecast2 >/dev/null 2>&1 || [ -x /usr/bin/icecast2 ]; } || need+=(icecast2)
{ command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; } || need+=(redis-server)
{ command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; } || need+=(haproxy)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || need+=(fonts-dejavu-core)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "amphi: installing missing system packages: ${need[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "amphi: cannot install ${need[*]}: not root. Install them with your package manager" >&2
  echo "       (Debian/Ubuntu: sudo apt-get install ${need[*]}) and run the tests again." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "amphi: cannot install ${need[*]}: no apt-get on this machine; install them by hand." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "amphi: installed ${need[*]}" >&2
