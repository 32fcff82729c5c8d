#!/usr/bin/env bash
# Puts the `akkadns` command on PATH: publishes src/Cluster (Release, framework-dependent) into APP_DIR and writes
# a small launcher BIN_DIR/akkadns that runs it with the `dotnet` found now (else the one on PATH then).
# Running it again updates the install in place. Needs the .NET 10 SDK (docs/install-cli.md).
#
#   scripts/install.sh [APP_DIR [BIN_DIR]]     defaults: ~/.local/share/akkadns and ~/.local/bin
#
# Remove it again with: rm -r APP_DIR BIN_DIR/akkadns
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP_DIR=${1:-${XDG_DATA_HOME:-$HOME/.local/share}/akkadns}
BIN_DIR=${2:-$HOME/.local/bin}

command -v dotnet >/dev/null 2>&1 || { echo "install.sh: dotnet not found; install the .NET 10 SDK first" >&2; exit 2; }
mkdir -p "$(dirname "$APP_DIR")" "$BIN_DIR"
APP_DIR=$(cd "$(dirname "$APP_DIR")" && pwd)/$(basename "$APP_DIR")
BIN_DIR=$(cd "$BIN_DIR" && pwd)
case "$APP_DIR" in *"'"*) echo "install.sh: a folder name with a ' in it is not supported" >&2; exit 2 ;; esac

# APP_DIR is replaced whole (no stale files of an older version), so it must be empty or an earlier install.
if [ -e "$APP_DIR" ] && [ ! -f "$APP_DIR/akkadns.dll" ] && [ -n "$(ls -A "$APP_DIR")" ]; then
  echo "install.sh: $APP_DIR is not empty and holds no akkadns.dll: give an empty or new folder" >&2
  exit 2
fi

STAGE="$APP_DIR.new.$$"
trap 'rm -rf "$STAGE"' EXIT
echo "# publishing src/Cluster into $APP_DIR"
dotnet publish "$ROOT/src/Cluster/AkkaDns.Cluster.csproj" -c Release -o "$STAGE" -nologo -v q
rm -rf "$APP_DIR"
mv "$STAGE" "$APP_DIR"

DOTNET=$(command -v dotnet)
DOTNET=$(readlink -f "$DOTNET" 2>/dev/null || echo "$DOTNET")
LAUNCHER="$BIN_DIR/akkadns"
rm -f "$LAUNCHER" # a symlink left by hand would otherwise be written through
cat > "$LAUNCHER" <<EOF
#!/bin/sh
# akkadns launcher written by scripts/install.sh: runs $APP_DIR/akkadns.dll in the caller's directory.
dotnet='$DOTNET'
[ -x "\$dotnet" ] || dotnet=dotnet
exec "\$dotnet" '$APP_DIR/akkadns.dll' "\$@"
EOF
chmod +x "$LAUNCHER"

echo "# installed: $LAUNCHER -> $APP_DIR"
case ":$PATH:" in
  *":$BIN_DIR:"*) "$LAUNCHER" --version >/dev/null && echo "# akkadns is on PATH: try 'akkadns --help'" ;;
  *) echo "# $BIN_DIR is not on PATH: add  export PATH=\"$BIN_DIR:\$PATH\"  to your shell's profile" ;;
esac
