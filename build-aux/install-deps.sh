#!/bin/sh
# Installs the Debian 12 packages Takes needs that are missing.
#   build-aux/install-deps.sh build   – what building and running need
#   build-aux/install-deps.sh test    – that, plus what the test suites need
# Runs apt-get as root, or through sudo when available; otherwise it names
# the packages and the command to install them, and fails.
set -eu

build_packages="build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libges-1.0-dev
  libgtk-4-media-gstreamer
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-tools
  desktop-file-utils appstream librsvg2-common hicolor-icon-theme
  adwaita-icon-theme fonts-noto-core fonts-noto-cjk fonts-dejavu-core"

test_packages="xvfb xauth dbus dbus-x11 at-spi2-core python3 python3-gi
  gir1.2-atspi-2.0 gir1.2-glib-2.0 imagemagick x11-utils ffmpeg locales
  ges1.0-tools gnome-keyring libsecret-tools valgrind"

want=$build_packages
if [ "${1:-build}" = "test" ]; then
  want="$build_packages $test_packages"
fi

missing=""
for p in $want; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
  elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
    sudo="sudo"
  else
    echo "Takes needs these Debian packages, which are not installed:" >&2
    echo "  $missing" >&2
    echo "Install them as root with:" >&2
    echo "  apt-get update && apt-get install -y$missing" >&2
    exit 1
  fi
  echo "Installing:$missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# The translation tests need real locales: gettext ignores LANGUAGE under C.
if [ "${1:-build}" = "test" ]; then
  need_locales=""
  for l in ar_EG.utf8 zh_CN.utf8; do
    locale -a 2>/dev/null | grep -qx "$l" || need_locales="$need_locales $l"
  done
  if [ -n "$need_locales" ]; then
    if [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
      s=""; [ "$(id -u)" = 0 ] || s="sudo"
      $s sed -i -e 's/^# *\(ar_EG.UTF-8 UTF-8\)/\1/' -e 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/' /etc/locale.gen
      $s locale-gen >/dev/null
    else
      echo "Note: the ar_EG.UTF-8 and zh_CN.UTF-8 locales are missing; translation tests will be skipped." >&2
    fi
  fi
fi
