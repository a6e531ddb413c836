#!/bin/sh
# Installs the system programs the service or the test suite needs (redis-server, chromium) when
# they are missing and we can (root with apt-get); otherwise says in one line how to get them.
# Usage: ensure-system-deps.sh [--unless-redis-url] program…  (Debian package names equal the programs')
# fonts-wqy-microhei stands for "a Chinese font": the browser tests measure Chinese text on the page,
# which without one is drawn as narrow boxes; any installed Chinese font will do.
skip_redis=""
if [ "$1" = "--unless-redis-url" ]; then
  shift
  [ -n "${REDIS_URL:-}" ] && skip_redis=1
fi
missing=""
for program in "$@"; do
  [ "$program" = "redis-server" ] && [ -n "$skip_redis" ] && continue
  if [ "$program" = "fonts-wqy-microhei" ]; then
    [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing="$missing $program"
    continue
  fi
  command -v "$program" >/dev/null 2>&1 || missing="$missing $program"
done
[ -z "$missing" ] && exit 0
packages="$missing"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing missing system packages:$packages" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages) >&2 || {
    echo "apt-get could not install$packages; install them by hand (sudo apt-get install -y$packages)." >&2
    exit 1
  }
  exit 0
fi
case "$missing" in
  *redis-server*) echo "Missing:$missing. Install with 'sudo apt-get install -y$packages' (macOS: 'brew install redis'), or set REDIS_URL to a running Redis." >&2 ;;
  *) echo "Missing:$missing. Install with 'sudo apt-get install -y$packages'." >&2 ;;
esac
# Without root we cannot install; the service itself explains what it needs and exits if it must.
exit 0
