#!/usr/bin/env bash
# Installs every Debian 12 package convlens needs to build, run and test. Run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  g++ cmake ninja-build pkg-config git
  libeigen3-dev nlohmann-json3-dev libcli11-dev
  libimgui-dev libglfw3-dev python3-glad libgl-dev
  libcairo2-dev libgif-dev libdeflate-dev libstb-dev
  fonts-dejavu-core
  libgtest-dev libgmock-dev libbenchmark-dev
  xvfb xauth libgl1-mesa-dri poppler-utils python3
  # the GUI smoke test drives the real window with real X events
  xdotool
  # export: MP4 through ffmpeg; the TikZ test compiles with pdflatex (beamer, pgf);
  # the export benchmark compares with matplotlib
  ffmpeg texlive-latex-base texlive-latex-recommended texlive-pictures python3-matplotlib
  # the engine benchmark compares with PyTorch (benchmarks/torch_bench.py)
  python3-torch
  # the fuzz targets (tests/fuzz, scripts/fuzz.sh): clang; -fsanitize=fuzzer links the
  # libFuzzer of libclang-rt-14-dev (libfuzzer-14-dev is only the standalone copy)
  clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
