#!/usr/bin/env bash
# `make bundle`: one archive to install the dashboard on a machine with no network. It holds
# the project, every wheel requirements.txt needs for CPython 3.11 on Linux x86_64, and
# install-offline.sh. Run it on a machine that reaches the package registry.
#   offline/build-bundle.sh [ARCHIVE]     (default: dist/dashboard-offline.tar.gz)
set -euo pipefail
cd "$(dirname "$0")/.."
archive=$(realpath -m "${1:-dist/dashboard-offline.tar.gz}")
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/dashboard"
# The project as a clone has it: tracked files and new ones not ignored; from a copy that is
# not a git checkout, every file but the local ones .gitignore names.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - \
        | tar -xf - -C "$work/dashboard"
else
    tar --exclude=./.git --exclude=./.venv --exclude=./dist --exclude=__pycache__ \
        --exclude='*.pyc' --exclude=./.pytest_cache --exclude=.hypothesis \
        --exclude=./geodata/imports --exclude=./bench/results/tmp --exclude=./.cache \
        --exclude=./build-cache -cf - . | tar -xf - -C "$work/dashboard"
fi
# Wheels only (no source package to build without a compiler), for the target machine
# whatever this one is.
"$PYTHON" -m pip download --quiet --only-binary=:all: --dest "$work/dashboard/wheels" \
    --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none \
    --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_34_x86_64 \
    --platform linux_x86_64 \
    -r requirements.txt
cp offline/install.sh "$work/dashboard/install-offline.sh"
chmod +x "$work/dashboard/install-offline.sh"
mkdir -p "$(dirname "$archive")"
tar -czf "$archive" -C "$work" dashboard
echo "$archive: $(du -h "$archive" | cut -f1), $(ls "$work/dashboard/wheels" | wc -l) wheels"
