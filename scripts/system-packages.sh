#!/bin/sh
# Install the Debian packages Fiat needs, when they are missing.
#
#   scripts/system-packages.sh run    what the product uses (Tesseract OCR,
#                                     Pango and fonts for PDF rendering)
#   scripts/system-packages.sh test   that, plus what the tests drive
#                                     (Dovecot IMAP server, Chromium)
#   scripts/system-packages.sh bench  run's packages, plus pdftotext
#                                     (poppler-utils) for invoice2data
#
# As root, missing packages are installed with apt-get. Otherwise the script
# prints the command to run and exits 0, so that `make` goes on; tests that
# need a missing tool then skip with a message that names it.
set -eu

RUN_PACKAGES="tesseract-ocr tesseract-ocr-osd tesseract-ocr-nld tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
TEST_PACKAGES="dovecot-imapd chromium"
BENCH_PACKAGES="poppler-utils"

case "${1:-run}" in
  run) wanted="$RUN_PACKAGES" ;;
  test) wanted="$RUN_PACKAGES $TEST_PACKAGES" ;;
  bench) wanted="$RUN_PACKAGES $BENCH_PACKAGES" ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian system: install these packages yourself: $wanted"
  exit 0
fi

missing=""
for package in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $package" ;;
  esac
done

if [ -z "$missing" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages:$missing"
  echo "Install them with: sudo apt-get install -y$missing"
  exit 0
fi

echo "Installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
