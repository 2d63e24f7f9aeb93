#!/usr/bin/env bash
# `make run`: the receipt pictures (previews, image-mode printing) need a CJK TrueType font.
# Installs Debian's fonts-wqy-microhei when missing and run as root; otherwise says how.
# Never fails: without the font the screens show the PDF instead of the picture.
font="${SHOWROOM_PRINT_FONT:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}"
if [ -f "$font" ]; then
  exit 0
fi
if [ -n "${SHOWROOM_PRINT_FONT:-}" ]; then
  echo "warning: SHOWROOM_PRINT_FONT=$font does not exist: receipt pictures fall back to PDF" >&2
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing the CJK print font (fonts-wqy-microhei) …"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null 2>&1 \
     || { apt-get update -qq >/dev/null 2>&1 \
          && apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null 2>&1; }; then
    [ -f "$font" ] && exit 0
  fi
fi
cat >&2 <<MSG
warning: the CJK print font is missing ($font).
  Receipt previews show the PDF instead of the picture, and image-mode printers cannot print.
  Install it:  sudo apt-get install fonts-wqy-microhei
  or point SHOWROOM_PRINT_FONT at another CJK TrueType font.
MSG
exit 0
