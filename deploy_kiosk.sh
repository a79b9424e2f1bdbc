#!/usr/bin/env bash
# deploy_kiosk.sh: install, update or remove Oefenkiosk as a kiosk on a Raspberry Pi
# (Raspberry Pi OS trixie or bookworm, 64-bit) or a PC (Debian 13 or 12, Ubuntu 24.04).
#
# Every step first looks at what is there and only changes what differs, so a
# second run changes nothing and says so. `--dry-run` prints the plan and
# changes nothing; `--root DIR` installs into a staging folder (for tests).
# Run `./deploy_kiosk.sh --help` for the options, README.md ("Kiosk installeren")
# for the steps from a fresh SD card to a running kiosk.
set -euo pipefail
umask 022

PROG=deploy_kiosk.sh
SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)

# --- where things go on the kiosk (with --root DIR, all of these are under DIR) ----------
OPT=/opt/oefenkiosk
APP=$OPT/app                        # a copy of the project: code, assets/, scenarios/
VENV=$OPT/venv                      # Kivy and the other dependencies, from PyPI
LAUNCHER=$OPT/bin/oefenkiosk-session
STATE=$OPT/deploy.env               # how this kiosk was installed (for --update, --uninstall)
ETC=/etc/oefenkiosk
CONFIG=$ETC/config.toml
DATA=/var/lib/oefenkiosk
KIVY_DIR=$DATA/kivy                 # KIVY_HOME of the kiosk: config.ini
PIN_MARK=$DATA/.pins-set            # which PINs this script has set (never the PINs)
SYSTEM_UNITS=/etc/systemd/system
USER_UNITS=/etc/systemd/user
KIOSK_USER=oefenkiosk
KIOSK_GROUPS=(video render input audio)
KIOSK_BIN=$VENV/bin/oefenkiosk
MARK_BEGIN="# >>> oefenkiosk (deploy_kiosk.sh) >>>"
MARK_END="# <<< oefenkiosk <<<"
SYSTEM_PYTHON=/usr/bin/python3

# --- options --------------------------------------------------------------------------------
ACTION=install                      # install | update | uninstall
MODE=""                             # desktop | console ("" = as before, else detect)
RESTART_AT=""                       # HH:MM of the nightly restart ("" = as before, else 04:30)
WATCHDOG_SEC=""                     # seconds ("" = as before, else 30)
DESKTOP_USER=""
ROOT=""
DRY_RUN=0
PURGE=0
ASK_PINS=0

# --- what happened ------------------------------------------------------------------------
CHANGES=0
RESTART_NEEDED=0
UNITS_CHANGED=0
APP_CHANGED=0
STAFF_PIN=""
VOLUNTEER_PIN=""
PINS_DONE=""
WORK=""
OS_NAME=""
IS_PI=0
RUN_USER=""

usage() {
    cat <<EOF
Usage: sudo ./$PROG [OPTIONS]

Installs Oefenkiosk as a kiosk that starts by itself, restarts itself when it
crashes or freezes, and restarts every night.

Supported: $(supported).

What it does: installs the system packages; creates the system user
$KIOSK_USER (groups ${KIOSK_GROUPS[*]}); copies the app to $APP and installs
it with Kivy from PyPI into $VENV; writes $CONFIG (only when absent), the Kivy
settings in $KIVY_DIR/config.ini and the systemd units or desktop autostart;
turns screen blanking off; asks for the staff and volunteer PINs.

Options:
  --mode desktop|console  desktop: start inside the desktop session (labwc on
                          Wayland, wayfire or an X11 session) as a systemd user
                          service; on Wayland the kiosk draws through XWayland;
                          console: no desktop, a system service drawing straight
                          on the screen (SDL_VIDEODRIVER=kmsdrm).
                          Default: as installed before, else detected (a display
                          manager with graphical.target means desktop).
  --desktop-user NAME     the user whose desktop session shows the kiosk
                          (default: the auto-login user, else \$SUDO_USER)
  --restart-at HH:MM      time of the nightly restart (default: 04:30)
  --watchdog-sec N        restart the kiosk when its main loop (the screen) has
                          been stuck for N seconds (default: 30)
  --pins                  ask for (or take) the PINs again, also when set before
  --update                a new version of the app and scenarios; keeps the
                          settings, the data and the PINs
  --uninstall             remove the app, the services and the user; keeps
                          $DATA and $CONFIG
  --purge                 with --uninstall: remove those too
  --dry-run               print every action, change nothing
  --root DIR              install into DIR as a staging root (for testing): every
                          path gets DIR in front; no apt-get, useradd or
                          systemctl, no ownership changes, no PINs
  -h, --help              this text

Environment:
  OEFENKIOSK_STAFF_PIN, OEFENKIOSK_VOLUNTEER_PIN
                          PINs (at least 6 digits) for an unattended install;
                          without them the script asks, or, without a terminal,
                          skips (the kiosk asks staff to set them on first use)
  OEFENKIOSK_PIP_ARGS     extra options for pip install, e.g. "--find-links DIR"
  OEFENKIOSK_OS_RELEASE, OEFENKIOSK_ARCH
                          pretend another os-release file or architecture (tests)

Afterwards: logs with  journalctl -u oefenkiosk -f  (desktop mode: journalctl --user
-u oefenkiosk -f, as the desktop user); staff mode by pressing the corner of the
banner for 3 seconds, then the staff PIN.
EOF
}

# --- output -----------------------------------------------------------------------------------
step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
same() { printf '  = %s\n' "$*"; }
skip() { printf '  - skipped: %s\n' "$*"; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
die() {
    printf '%s: %s\n' "$PROG" "$*" >&2
    exit 1
}

# act DESCRIPTION COMMAND...: count a change, say it, and run it (not in a dry run).
act() {
    local what=$1
    shift
    CHANGES=$((CHANGES + 1))
    if ((DRY_RUN)); then
        printf '  ~ would %s\n' "$what"
        return 0
    fi
    printf '  + %s\n' "$what"
    "$@"
}

# p PATH: the path on the machine we install into (the staging root in front, if any).
p() { printf '%s%s' "$ROOT" "$1"; }

staging() { [[ -n $ROOT ]]; }

# --- options ---------------------------------------------------------------------------------
parse_args() {
    local value
    while (($#)); do
        case $1 in
        -h | --help)
            usage
            exit 0
            ;;
        --dry-run) DRY_RUN=1 ;;
        --update) set_action update ;;
        --uninstall) set_action uninstall ;;
        --purge) PURGE=1 ;;
        --pins) ASK_PINS=1 ;;
        --mode | --restart-at | --watchdog-sec | --desktop-user | --root)
            (($# >= 2)) || die "$1 needs a value (see --help)"
            set_option "$1" "$2"
            shift
            ;;
        --mode=* | --restart-at=* | --watchdog-sec=* | --desktop-user=* | --root=*)
            value=${1#*=}
            set_option "${1%%=*}" "$value"
            ;;
        *) die "unknown option: $1 (see --help)" ;;
        esac
        shift
    done
    if ((PURGE)) && [[ $ACTION != uninstall ]]; then
        die "--purge goes with --uninstall"
    fi
}

set_action() {
    [[ $ACTION == install || $ACTION == "$1" ]] || die "--update and --uninstall do not go together"
    ACTION=$1
}

set_option() {
    case $1 in
    --mode)
        [[ $2 == desktop || $2 == console ]] || die "--mode is desktop or console, not '$2'"
        MODE=$2
        ;;
    --restart-at)
        [[ $2 =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]] ||
            die "--restart-at wants a time like 04:30 (HH:MM, 24 hours), not '$2'"
        RESTART_AT=$2
        ;;
    --watchdog-sec)
        if ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < 10 || $2 > 600)); then
            die "--watchdog-sec wants a number of seconds from 10 to 600, not '$2'"
        fi
        WATCHDOG_SEC=$2
        ;;
    --desktop-user)
        [[ $2 =~ ^[a-z_][a-z0-9_-]*$ ]] || die "--desktop-user: '$2' is not a user name"
        DESKTOP_USER=$2
        ;;
    --root)
        [[ -n $2 ]] || die "--root needs a folder"
        ROOT=$(realpath -m -- "$2")
        if [[ $ROOT == / ]]; then ROOT=""; fi
        ;;
    esac
}

# The PINs leave the environment at once: no command this script runs inherits them.
take_pins_from_environment() {
    STAFF_PIN=${OEFENKIOSK_STAFF_PIN-}
    VOLUNTEER_PIN=${OEFENKIOSK_VOLUNTEER_PIN-}
    unset OEFENKIOSK_STAFF_PIN OEFENKIOSK_VOLUNTEER_PIN
}

# --- the machine ---------------------------------------------------------------------------
detect_system() {
    local release=${OEFENKIOSK_OS_RELEASE:-/etc/os-release}
    local arch=${OEFENKIOSK_ARCH:-$(uname -m)}
    local id="" version="" codename="" pretty=""
    [[ -r $release ]] || die "cannot read $release: which system is this? Supported: $(supported)"
    # shellcheck disable=SC1090  # os-release is a shell fragment by definition
    read -r id version codename pretty < <(
        . "$release"
        printf '%s %s %s %s\n' "${ID:-?}" "${VERSION_ID:-?}" "${VERSION_CODENAME:-?}" "${PRETTY_NAME:-${ID:-?}}"
    )
    if [[ -z ${OEFENKIOSK_OS_RELEASE:-} ]] && grep -qs "Raspberry Pi" /proc/device-tree/model; then
        IS_PI=1
    fi
    case $arch in
    aarch64 | x86_64) ;;
    armv6l | armv7l | armhf)
        die "this is a 32-bit system ($pretty, $arch). Oefenkiosk needs 64-bit:" \
            "install Raspberry Pi OS (64-bit) on the SD card. Supported: $(supported)"
        ;;
    *) die "unsupported architecture: $arch ($pretty). Supported: $(supported)" ;;
    esac
    case "$id/$version/$arch" in
    debian/12/* | raspbian/12/* | debian/13/* | raspbian/13/*)
        if [[ $id == raspbian ]]; then
            die "this is 32-bit Raspberry Pi OS; install the 64-bit version. Supported: $(supported)"
        fi
        if ((IS_PI)) || [[ $arch == aarch64 ]]; then
            OS_NAME="Raspberry Pi OS / Debian $version ($codename, $arch)"
        else
            OS_NAME="Debian $version ($codename, $arch)"
        fi
        ;;
    ubuntu/24.04/x86_64)
        OS_NAME="Ubuntu 24.04 ($codename, $arch)"
        ;;
    *) die "unsupported system: $pretty on $arch. Supported: $(supported)" ;;
    esac
}

supported() {
    printf '%s' "Raspberry Pi OS trixie or bookworm (64-bit) or Debian 13 or 12 on aarch64 or x86_64, Ubuntu 24.04 on x86_64"
}

# The packages the Kivy 2.3 wheel needs from the system (it bundles SDL2 itself): OpenGL /
# EGL / GLES and the Mesa drivers, GBM and DRM for the console (KMS) mode, mtdev for the
# touchscreen; espeak-ng and ALSA for speech. The fonts come with the app (assets/fonts).
PACKAGES=(python3-venv espeak-ng alsa-utils libgl1 libegl1 libgles2 libgl1-mesa-dri
    libgbm1 libdrm2 libmtdev1)
# Desktop mode on a Wayland desktop (labwc on Raspberry Pi OS): the SDL2 inside Kivy's
# wheels has no Wayland video driver (checked in the 2.3 wheels for x86_64 and aarch64),
# so the kiosk's window is an X11 window shown by XWayland.
DESKTOP_PACKAGES=(xwayland)

package_installed() {
    local name
    for name in "$1" "${1}t64"; do # Ubuntu 24.04 renamed some libraries (libmtdev1t64)
        if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed"; then
            return 0
        fi
    done
    return 1
}

install_packages() {
    step "System packages"
    if staging; then
        skip "apt-get install ${PACKAGES[*]}$([[ $MODE == desktop ]] && printf ' %s' "${DESKTOP_PACKAGES[@]}") (--root)"
        return
    fi
    local missing=() name wanted=("${PACKAGES[@]}")
    if [[ $MODE == desktop ]]; then wanted+=("${DESKTOP_PACKAGES[@]}"); fi
    for name in "${wanted[@]}"; do
        package_installed "$name" || missing+=("$name")
    done
    if ((${#missing[@]} == 0)); then
        same "installed: ${wanted[*]}"
        return
    fi
    act "install ${missing[*]} (apt-get)" apt_install "${missing[@]}"
}

apt_install() {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

check_python() {
    if ((DRY_RUN)) && ! staging && [[ ! -x $SYSTEM_PYTHON ]]; then
        return 0 # python3 comes with the packages
    fi
    [[ -x $SYSTEM_PYTHON ]] || die "$SYSTEM_PYTHON is missing: apt-get install python3-venv"
    "$SYSTEM_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        die "Oefenkiosk needs Python 3.11 or newer; $SYSTEM_PYTHON is $("$SYSTEM_PYTHON" -V 2>&1)"
    if ! ((DRY_RUN)) && ! "$SYSTEM_PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
        die "Python's venv module is missing: apt-get install python3-venv"
    fi
}

systemd_running() { [[ -d /run/systemd/system ]]; }

# --- users -------------------------------------------------------------------------------
user_exists() { getent passwd "$1" >/dev/null 2>&1; }

user_home() {
    local home
    home=$(getent passwd "$1" 2>/dev/null | cut -d: -f6) || true
    printf '%s' "${home:-/home/$1}"
}

ensure_user() {
    step "User $KIOSK_USER"
    if staging; then
        skip "useradd $KIOSK_USER, groups ${KIOSK_GROUPS[*]} (--root)"
        return
    fi
    if user_exists "$KIOSK_USER"; then
        same "user $KIOSK_USER exists"
    else
        act "create the system user $KIOSK_USER (home $DATA, no login)" \
            useradd --system --user-group --home-dir "$DATA" --no-create-home \
            --shell /usr/sbin/nologin --comment "Oefenkiosk" "$KIOSK_USER"
    fi
    local group
    for group in "${KIOSK_GROUPS[@]}"; do
        if ! getent group "$group" >/dev/null; then
            warn "group $group does not exist here; $KIOSK_USER is not added to it"
        elif user_exists "$KIOSK_USER" && id -nG "$KIOSK_USER" | tr ' ' '\n' | grep -qx "$group"; then
            same "$KIOSK_USER is in group $group"
        else
            act "add $KIOSK_USER to group $group" usermod -aG "$group" "$KIOSK_USER"
        fi
    done
    if [[ $MODE == desktop ]]; then
        # The kiosk runs as the desktop user; the group gives it the data folder.
        if user_exists "$DESKTOP_USER" && id -nG "$DESKTOP_USER" | tr ' ' '\n' | grep -qx "$KIOSK_USER"; then
            same "$DESKTOP_USER is in group $KIOSK_USER"
        else
            act "add $DESKTOP_USER to group $KIOSK_USER (the kiosk's data)" \
                usermod -aG "$KIOSK_USER" "$DESKTOP_USER"
        fi
    fi
}

# --- files -----------------------------------------------------------------------------------
mode_of() { stat -c %a "$1"; }
# A five-digit mode: GNU chmod keeps a folder's setgid bit otherwise.
set_mode() { chmod "0$1" "$2"; }
owner_of() { stat -c %U:%G "$1"; }

# ensure_dir PATH MODE OWNER: a folder with that mode and owner (OWNER "" = leave it).
ensure_dir() {
    local target=$1 mode=$2 owner=$3 dest
    dest=$(p "$target")
    if [[ ! -d $dest ]]; then
        act "create $target" make_dir "$dest" "$mode" "$owner"
        return
    fi
    local before=$CHANGES
    if [[ -n $mode ]] && (($((8#$(mode_of "$dest"))) != $((8#$mode)))); then
        act "chmod $mode $target" set_mode "$mode" "$dest"
    fi
    if [[ -n $owner ]] && ! staging && [[ $(owner_of "$dest") != "$owner" ]]; then
        act "chown $owner $target" chown "$owner" "$dest"
    fi
    if ((CHANGES == before)); then same "$target"; fi
}

make_dir() {
    mkdir -p "$1"
    [[ -z $2 ]] || set_mode "$2" "$1"
    if [[ -n $3 ]] && ! staging; then chown "$3" "$1"; fi
}

# put PATH MODE OWNER < CONTENT: write the file when its content, mode or owner differ.
# PUT_CHANGED tells whether the content was (or, in a dry run, would be) written.
PUT_CHANGED=0
put() {
    local target=$1 mode=$2 owner=$3 dest tmp
    dest=$(p "$target")
    tmp=$(mktemp "$WORK/put.XXXXXX")
    cat >"$tmp"
    PUT_CHANGED=0
    if [[ -f $dest ]] && cmp -s "$tmp" "$dest"; then
        local before=$CHANGES
        if (($((8#$(mode_of "$dest"))) != $((8#$mode)))); then
            act "chmod $mode $target" set_mode "$mode" "$dest"
        fi
        if [[ -n $owner ]] && ! staging && [[ $(owner_of "$dest") != "$owner" ]]; then
            act "chown $owner $target" chown "$owner" "$dest"
        fi
        if ((CHANGES == before)); then same "$target"; fi
        return 0
    fi
    PUT_CHANGED=1
    if [[ -e $dest ]]; then
        act "update $target" install_file "$tmp" "$dest" "$mode" "$owner"
    else
        act "write $target" install_file "$tmp" "$dest" "$mode" "$owner"
    fi
}

install_file() {
    mkdir -p "$(dirname "$2")"
    install -m "$3" "$1" "$2.new"
    if [[ -n $4 ]] && ! staging; then chown "$4" "$2.new"; fi
    mv -f "$2.new" "$2"
}

remove() {
    local target=$1 dest
    dest=$(p "$target")
    if [[ -e $dest || -L $dest ]]; then
        act "remove $target" rm -rf -- "$dest"
    fi
}

# --- the app ---------------------------------------------------------------------------------
# What is not copied from the project folder: version control, caches, local test output.
COPY_EXCLUDES=(.git .venv .hypothesis .pytest_cache .ruff_cache .mypy_cache __pycache__
    '*.pyc' '*.egg-info' screenshots bench-out build dist)

install_app() {
    step "The app in $APP"
    local dest excludes=() pattern
    dest=$(p "$APP")
    for pattern in "${COPY_EXCLUDES[@]}"; do excludes+=(-x "$pattern"); done
    [[ -f $SRC_DIR/pyproject.toml && -d $SRC_DIR/kiosk ]] ||
        die "$SRC_DIR does not look like the Oefenkiosk project (no pyproject.toml or kiosk/)"
    if [[ -d $dest && $SRC_DIR -ef $dest ]]; then
        same "$APP (the script runs from the installed copy)"
    elif [[ -d $dest ]] && diff -rq --no-dereference "${excludes[@]}" "$SRC_DIR" "$dest" >/dev/null 2>&1; then
        same "$APP: version $(app_version) already there"
    else
        act "copy the app (version $(app_version)) from $SRC_DIR to $APP" copy_app "$SRC_DIR" "$dest"
        APP_CHANGED=1
        RESTART_NEEDED=1
    fi
}

app_version() { sed -n 's/^version *= *"\(.*\)"/\1/p' "$SRC_DIR/pyproject.toml" | head -n 1; }

copy_app() {
    local src=$1 dest=$2 excludes=() pattern
    for pattern in "${COPY_EXCLUDES[@]}"; do excludes+=("--exclude=$pattern"); done
    rm -rf "$dest.new" "$dest.old"
    mkdir -p "$dest.new"
    tar -C "$src" "${excludes[@]}" -cf - . | tar -C "$dest.new" --no-same-owner -xf -
    chmod -R u+rwX,go+rX,go-w "$dest.new"
    if [[ -d $dest ]]; then mv "$dest" "$dest.old"; fi
    mv "$dest.new" "$dest"
    rm -rf "$dest.old"
}

# The app is installed *editable* from $APP: Python imports kiosk/ straight from $APP, so
# kiosk/paths.py finds assets/ and scenarios/ beside it for every entry point (the service,
# set-pin, validate run by hand) without OEFENKIOSK_HOME. The dependencies are pinned by
# the ranges in pyproject.toml; Kivy comes as a manylinux wheel from PyPI (never Debian's
# python3-kivy).
install_venv() {
    step "Python environment in $VENV"
    local venv python stamp_file want
    venv=$(p "$VENV")
    python=$venv/bin/python
    if [[ -x $python ]] && "$python" -c 'import sys' 2>/dev/null; then
        same "$VENV"
    else
        act "create the virtual environment $VENV ($SYSTEM_PYTHON -m venv)" \
            "$SYSTEM_PYTHON" -m venv --clear "$venv"
        APP_CHANGED=1
    fi
    stamp_file=$venv/.oefenkiosk-installed
    want=$(install_stamp)
    if ((APP_CHANGED)) || [[ ! -f $stamp_file || $(<"$stamp_file") != "$want" ]] ||
        ! "$python" -c 'import kiosk' >/dev/null 2>&1; then
        act "pip install -e $APP (Kivy and the versions in pyproject.toml, from PyPI)" \
            pip_install "$python" "$stamp_file" "$want"
        RESTART_NEEDED=1
    else
        same "Oefenkiosk $(app_version) and its dependencies are installed"
    fi
}

install_stamp() {
    {
        cat "$SRC_DIR/pyproject.toml"
        printf 'pip-args: %s\nroot: %s\n' "${OEFENKIOSK_PIP_ARGS:-}" "$ROOT"
    } | sha256sum | cut -d' ' -f1
}

pip_install() {
    local python=$1 stamp_file=$2 stamp=$3 extra=()
    read -r -a extra <<<"${OEFENKIOSK_PIP_ARGS:-}"
    info "pip: this takes a few minutes on a Raspberry Pi"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip install --progress-bar off \
        "${extra[@]}" -e "$(p "$APP")"
    # Bytecode now, as root: the kiosk user may not write into $APP.
    "$python" -m compileall -q "$(p "$APP")/kiosk" >/dev/null
    "$python" -c 'import kiosk' # fails loudly here rather than at the first boot
    printf '%s\n' "$stamp" >"$stamp_file"
}

# --- settings ----------------------------------------------------------------------------------
write_config() {
    step "Settings in $CONFIG"
    ensure_dir "$ETC" 0755 root:root
    if [[ -e $(p "$CONFIG") ]]; then
        same "$CONFIG exists; kept as it is"
        return
    fi
    local python
    python=$(p "$VENV")/bin/python
    if ((DRY_RUN)) && ! [[ -x $python ]]; then
        act "write $CONFIG (commented defaults, data_dir = \"$DATA\")" true
        return
    fi
    default_config "$python" >"$WORK/config.toml" ||
        die "could not list the settings of kiosk/config.py (see the error above)"
    put "$CONFIG" 0644 root:root <"$WORK/config.toml"
}

# Every setting of kiosk/config.py as a commented default, and the data folder.
default_config() {
    "$1" - "$DATA" <<'PY'
import json
import sys

from kiosk.config import SETTINGS


def toml(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


active = {"data_dir": sys.argv[1]}
print("# Oefenkiosk settings. Written once by deploy_kiosk.sh; yours to edit, never overwritten.")
print("# A line starting with # is the default. Each setting can also be given as an environment")
print("# variable OEFENKIOSK_<NAME>. After a change: sudo systemctl restart oefenkiosk")
print("# (desktop mode: log out and in again).")
for setting in SETTINGS:
    print()
    limits = ""
    if setting.minimum is not None and setting.maximum is not None:
        limits = f" ({setting.minimum} to {setting.maximum})"
    print(f"# {setting.description}{limits}")
    if setting.name in active:
        print(f"{setting.name} = {toml(active.pop(setting.name))}")
    else:
        print(f"# {setting.name} = {toml(setting.default)}")
if "data_dir" in active:
    print()
    print("# Folder for the kiosk's own data: the anonymous practice log and the PINs.")
    print(f"data_dir = {toml(active.pop('data_dir'))}")
PY
}

data_mode() { if [[ $MODE == desktop ]]; then printf 2770; else printf 0750; fi; }

ensure_data() {
    step "Data in $DATA"
    local mode owner=$KIOSK_USER:$KIOSK_USER dest
    mode=$(data_mode)
    dest=$(p "$DATA")
    ensure_dir "$DATA" "$mode" "$owner"
    # After an uninstall without --purge the files kept the old, now unknown, user id.
    if [[ -d $dest ]] && ! staging && user_exists "$KIOSK_USER" &&
        [[ -n $(find "$dest" \( -nouser -o -nogroup \) -print -quit) ]]; then
        act "give the files in $DATA of the removed user back to $KIOSK_USER" \
            find "$dest" \( -nouser -o -nogroup \) -exec chown "$owner" {} +
    fi
    ensure_dir "$KIVY_DIR" "$mode" "$owner"
}

# Kivy's own settings for the kiosk, in KIVY_HOME=$KIVY_DIR: Kivy's defaults for the
# installed version, with the kiosk's values (the same ones kiosk/ui/launch.py sets at start)
# and ONE touch input path for the display mode.
write_kivy_config() {
    step "Kivy settings in $KIVY_DIR/config.ini ($MODE mode)"
    local python
    python=$(p "$VENV")/bin/python
    if ((DRY_RUN)) && ! [[ -x $python ]]; then
        act "write $KIVY_DIR/config.ini (fullscreen, no cursor, Escape does not exit, one touch path)" true
        return
    fi
    kivy_config "$python" "$MODE" >"$WORK/kivy.ini" ||
        die "could not read Kivy's default settings (see the error above)"
    put "$KIVY_DIR/config.ini" 0644 root:root <"$WORK/kivy.ini"
    if ((PUT_CHANGED)); then RESTART_NEEDED=1; fi
}

kivy_config() {
    env -u KIVY_HOME KIVY_NO_CONFIG=1 KIVY_NO_ARGS=1 KIVY_NO_FILELOG=1 KIVY_NO_CONSOLELOG=1 \
        KIVY_NO_ENV_CONFIG=1 "$1" - "$2" <<'PY'
import sys

from kivy.config import KIVY_CONFIG_VERSION, Config

mode = sys.argv[1]
KIOSK = {  # what kiosk/ui/launch.py sets at start, and what only this file can set
    "kivy": {
        "exit_on_escape": "0",  # Escape does not close the kiosk
        "pause_on_minimize": "0",
        "log_enable": "0",  # no log files: the kiosk logs to the journal
        "config_version": str(KIVY_CONFIG_VERSION),  # so Kivy never rewrites this file
    },
    "graphics": {
        "fullscreen": "auto",
        "borderless": "1",
        "show_cursor": "0",
        "multisamples": "0",
        "allow_screensaver": "0",  # SDL keeps the screen awake while the kiosk runs
    },
}
# [input]: the touchscreen must reach Kivy through exactly one path.
WHY = {
    "console": [
        "# [input]: EXACTLY ONE path for the touchscreen, or every touch arrives twice.",
        "# Console mode (SDL_VIDEODRIVER=kmsdrm, no desktop): SDL reads the touchscreen, but",
        "# without a desktop it hands Kivy only 'finger' events, which Kivy ignores on Linux,",
        "# and it makes no mouse clicks of them either. So Kivy's mtdev provider reads the",
        "# touchscreen: probesysfs finds the device with multitouch axes (select_all=0 keeps",
        "# keyboards and mice out). The mouse line only serves a real USB mouse.",
        "# A rotated screen: add ,param=rotation=90 (or ,param=invert_x=1) to the touchscreen line.",
    ],
    "desktop": [
        "# [input]: EXACTLY ONE path for the touchscreen, or every touch arrives twice.",
        "# Desktop mode: the compositor or X server owns the touchscreen, and SDL turns each",
        "# touch into mouse events for this window, already rotated and scaled like the screen;",
        "# Kivy's mouse provider makes them touches. So no probesysfs, mtdev or hidinput line:",
        "# reading /dev/input as well is what makes a Raspberry Pi report every touch twice.",
    ],
}
PROVIDERS = {
    # disable_multitouch: a right click leaves no red multitouch dot (as launch.py sets it)
    "console": {
        "mouse": "mouse,disable_multitouch",
        "touchscreen": "probesysfs,provider=mtdev,select_all=0",
    },
    "desktop": {"mouse": "mouse,disable_multitouch"},
}

print(f"# Kivy settings for Oefenkiosk ({mode} mode), written by deploy_kiosk.sh: run it again")
print("# rather than editing this file. Kivy's defaults for this version, except the kiosk's")
print("# own values, which kiosk/ui/launch.py also sets when the kiosk starts.")
for section in Config.sections():
    print()
    if section == "input":
        print("\n".join(WHY[mode]))
        values = PROVIDERS[mode]
    else:
        values = {key: Config.get(section, key, raw=True) for key in Config.options(section)}
        values.update(KIOSK.get(section, {}))
    print(f"[{section}]")
    for key, value in values.items():
        print(f"{key} = {value}")
PY
}

# --- systemd units and autostart -------------------------------------------------------------
unit_header() {
    cat <<EOF
# Written by deploy_kiosk.sh: run it again (for example with --restart-at or --watchdog-sec)
# rather than editing this file; local additions go in: systemctl${1:+ $1} edit ${2:-oefenkiosk}
EOF
}

# The kiosk's service. Type=notify: the app sends READY=1 once the welcome screen is up and
# WATCHDOG=1 from a Kivy Clock callback (kiosk/watchdog.py); a UI that stops drawing stops
# feeding it, and systemd kills and restarts it, as after a crash (Restart=always).
# PYTHONFAULTHANDLER: the watchdog's SIGABRT then prints where the main loop hung.
service_unit() {
    local scope=$1
    unit_header "$([[ $scope == user ]] && printf -- --user)"
    cat <<EOF
[Unit]
Description=Oefenkiosk touchscreen kiosk ($MODE mode)
Documentation=file://$APP/README.md
StartLimitIntervalSec=0
EOF
    if [[ $scope == system ]]; then
        cat <<EOF
After=systemd-user-sessions.service getty@tty1.service sound.target
# The kiosk owns the first console: no login prompt under it, keys go nowhere else.
Conflicts=getty@tty1.service
# Staff chose "Kiosk afsluiten" (exit status 10): give the console its login prompt back.
OnSuccess=getty@tty1.service
EOF
    else
        printf 'ConditionUser=%s\n' "$DESKTOP_USER"
    fi
    cat <<EOF

[Service]
Type=notify
NotifyAccess=main
WatchdogSec=$WATCHDOG_SEC
TimeoutStartSec=120
TimeoutStopSec=15
Restart=always
RestartSec=5
# 10: staff closed the kiosk on purpose (staff mode, "Kiosk afsluiten"): stay closed until
# the next boot or the nightly restart.
SuccessExitStatus=10
RestartPreventExitStatus=10
Environment=OEFENKIOSK_CONFIG=$CONFIG
Environment=KIVY_HOME=$KIVY_DIR
Environment=PYTHONFAULTHANDLER=1
Environment=PYTHONUNBUFFERED=1
EOF
    if [[ $scope == system ]]; then
        cat <<EOF
Environment=SDL_VIDEODRIVER=kmsdrm
User=$KIOSK_USER
Group=$KIOSK_USER
UMask=0027
WorkingDirectory=$DATA
# Cheap hardening: the kiosk writes only below $DATA (and /tmp, its own).
NoNewPrivileges=yes
ProtectSystem=full
ProtectHome=read-only
PrivateTmp=yes
TTYPath=/dev/tty1
TTYReset=yes
TTYVHangup=yes
StandardInput=tty
StandardOutput=journal
StandardError=journal
# No console blanking on the kiosk's screen (also add consoleblank=0 to the kernel command line).
ExecStartPre=-+/bin/sh -c 'TERM=linux setterm --blank 0 --powerdown 0 --powersave off --cursor off >/dev/tty1'
ExecStart=$KIOSK_BIN run

[Install]
WantedBy=multi-user.target
EOF
    else
        cat <<EOF
# Kivy's SDL2 draws through X11: the X server of an X11 session, or XWayland on a
# Wayland desktop (labwc on Raspberry Pi OS), which labwc starts when the kiosk opens.
Environment=SDL_VIDEODRIVER=x11
# The data folder is shared through the group $KIOSK_USER.
UMask=0007
ExecStart=$KIOSK_BIN run
EOF
    fi
}

restart_service_unit() {
    local scope=$1 ctl=/usr/bin/systemctl
    if [[ $scope == user ]]; then ctl="/usr/bin/systemctl --user"; fi
    unit_header "$([[ $scope == user ]] && printf -- --user)" oefenkiosk-restart
    cat <<EOF
[Unit]
Description=Restart Oefenkiosk for a fresh start every day

[Service]
Type=oneshot
ExecStart=$ctl restart oefenkiosk.service
EOF
}

restart_timer_unit() {
    local scope=$1
    unit_header "$([[ $scope == user ]] && printf -- --user)" oefenkiosk-restart.timer
    cat <<EOF
[Unit]
Description=Restart Oefenkiosk every night at $RESTART_AT

[Timer]
OnCalendar=*-*-* $RESTART_AT:00
AccuracySec=1min
EOF
    if [[ $scope == system ]]; then
        printf '\n[Install]\nWantedBy=timers.target\n'
    fi
}

# put_unit PATH < CONTENT: like put, and remembers that systemd must reload.
put_unit() {
    put "$1" 0644 root:root
    if ((PUT_CHANGED)); then
        UNITS_CHANGED=1
        RESTART_NEEDED=1
    fi
}

install_console_units() {
    step "systemd: console mode (system service, SDL_VIDEODRIVER=kmsdrm)"
    remove_desktop_units "$1" # installed before in desktop mode?
    put_unit "$SYSTEM_UNITS/oefenkiosk.service" < <(service_unit system)
    put_unit "$SYSTEM_UNITS/oefenkiosk-restart.service" < <(restart_service_unit system)
    put_unit "$SYSTEM_UNITS/oefenkiosk-restart.timer" < <(restart_timer_unit system)
}

# Desktop mode: the kiosk must live in the desktop user's session (its display, its sound).
# It runs as a systemd *user* service, so the watchdog, Restart=always and the nightly
# restart work as in console mode; the session's autostart only starts that service.
install_desktop_units() {
    step "systemd: desktop mode (user service for $DESKTOP_USER, started by the session)"
    remove_console_units # installed before in console mode?
    if [[ -n $1 && $1 != "$DESKTOP_USER" ]]; then
        remove_desktop_units "$1" # another desktop user before
    fi
    put_unit "$USER_UNITS/oefenkiosk.service" < <(service_unit user)
    put_unit "$USER_UNITS/oefenkiosk-restart.service" < <(restart_service_unit user)
    put_unit "$USER_UNITS/oefenkiosk-restart.timer" < <(restart_timer_unit user)
    ensure_dir "$(dirname "$LAUNCHER")" 0755 root:root
    put "$LAUNCHER" 0755 root:root < <(launcher)

    step "Autostart in $DESKTOP_USER's desktop session"
    local home owner
    home=$(user_home "$DESKTOP_USER")
    owner=$DESKTOP_USER:$(id -gn "$DESKTOP_USER" 2>/dev/null || printf '%s' "$DESKTOP_USER")
    ensure_dir "$home/.config" "" "$owner"
    # labwc (Raspberry Pi OS trixie, and bookworm since late 2024): Raspberry Pi OS runs
    # the user's autostart after the system one (/etc/xdg/labwc/autostart: the panel).
    # Screen blanking there is a swayidle line in the user's autostart (what raspi-config's
    # "Screen Blanking" writes): it is turned off, and given back by --uninstall.
    ensure_dir "$home/.config/labwc" "" "$owner"
    put "$home/.config/labwc/autostart" 0644 "$owner" \
        < <(with_block "$(p "$home/.config/labwc/autostart")" "$LAUNCHER &" | without_blanking)
    # wayfire (bookworm before labwc): only when the user has a wayfire.ini already
    local wayfire=$home/.config/wayfire.ini
    if [[ -f $(p "$wayfire") ]]; then
        put "$wayfire" 0644 "$owner" < <(wayfire_with_autostart "$(p "$wayfire")")
    fi
    # X11 sessions and other desktops (GNOME on a PC) run ~/.config/autostart/*.desktop
    ensure_dir "$home/.config/autostart" "" "$owner"
    put "$home/.config/autostart/oefenkiosk.desktop" 0644 "$owner" < <(desktop_entry)
}

launcher() {
    cat <<EOF
#!/bin/sh
# Oefenkiosk, desktop mode: run by the desktop session at login (labwc or wayfire autostart,
# or ~/.config/autostart/oefenkiosk.desktop). Written by deploy_kiosk.sh.
# It gives the session's display to the systemd user manager and starts the kiosk as the
# user service oefenkiosk.service (watchdog, Restart=always). Starting it twice is harmless.
# Logs: journalctl --user -u oefenkiosk -f
names=""
for name in DISPLAY WAYLAND_DISPLAY XAUTHORITY XDG_SESSION_TYPE XDG_CURRENT_DESKTOP; do
    if [ -n "\$(printenv "\$name")" ]; then names="\$names \$name"; fi
done
# shellcheck disable=SC2086
[ -z "\$names" ] || systemctl --user import-environment \$names
# No screen saver, blanking or display power-off (X11 and XWayland).
if [ -n "\${DISPLAY:-}" ] && command -v xset >/dev/null 2>&1; then
    xset s off s noblank -dpms 2>/dev/null || true
fi
# GNOME (a Debian or Ubuntu PC): no blank screen, no lock screen.
if command -v gsettings >/dev/null 2>&1 && gsettings list-keys org.gnome.desktop.session >/dev/null 2>&1; then
    gsettings set org.gnome.desktop.session idle-delay 0 || true
    gsettings set org.gnome.desktop.screensaver lock-enabled false || true
fi
systemctl --user start oefenkiosk-restart.timer
exec systemctl --user --no-block start oefenkiosk.service
EOF
}

desktop_entry() {
    cat <<EOF
[Desktop Entry]
Type=Application
Name=Oefenkiosk
Comment=Starts the Oefenkiosk kiosk (written by deploy_kiosk.sh)
Exec=$LAUNCHER
NoDisplay=true
X-GNOME-Autostart-enabled=true
EOF
}

# labwc's screen blanking (swayidle), commented out with a mark, and back.
BLANKING_OFF="# oefenkiosk: no screen blanking: "
without_blanking() {
    awk -v mark="$BLANKING_OFF" '/^[[:space:]]*swayidle([[:space:]]|$)/ { print mark $0; next } { print }'
}

with_blanking() {
    awk -v mark="$BLANKING_OFF" 'index($0, mark) == 1 { print substr($0, length(mark) + 1); next } { print }'
}

# with_block FILE LINE: FILE's text with our marked block (holding LINE) at the end.
with_block() {
    without_block "$1"
    printf '%s\n%s\n%s\n' "$MARK_BEGIN" "$2" "$MARK_END"
}

without_block() {
    [[ -f $1 ]] || return 0
    awk -v begin="$MARK_BEGIN" -v end="$MARK_END" '
        $0 == begin { inside = 1; next }
        $0 == end { inside = 0; next }
        !inside { print }' "$1"
}

wayfire_with_autostart() {
    awk -v line="oefenkiosk = $LAUNCHER" '
        $0 == line { next }
        { print }
        /^\[autostart\][[:space:]]*$/ && !done { print line; done = 1 }
        END { if (!done) { print ""; print "[autostart]"; print line } }' "$1"
}

wayfire_without_autostart() {
    awk -v line="oefenkiosk = $LAUNCHER" '$0 != line { print }' "$1"
}

remove_console_units() {
    local unit
    for unit in oefenkiosk.service oefenkiosk-restart.service oefenkiosk-restart.timer; do
        if [[ -e $(p "$SYSTEM_UNITS/$unit") ]]; then
            # (the restart service has no [Install]: nothing to disable)
            if [[ $unit != oefenkiosk-restart.service ]] && ! staging && command -v systemctl >/dev/null 2>&1; then
                if systemd_running; then
                    act "stop and disable $unit" systemctl disable --now --quiet "$unit" || true
                else
                    act "disable $unit" systemctl disable --quiet "$unit" || true
                fi
            fi
            remove "$SYSTEM_UNITS/$unit"
            UNITS_CHANGED=1
        fi
    done
}

remove_desktop_units() {
    local user=$1 unit home file
    for unit in oefenkiosk.service oefenkiosk-restart.service oefenkiosk-restart.timer; do
        if [[ -e $(p "$USER_UNITS/$unit") ]]; then
            if [[ -n $user ]] && ! staging && systemd_running; then
                systemctl --user --machine="$user@" stop "$unit" >/dev/null 2>&1 || true
            fi
            remove "$USER_UNITS/$unit"
        fi
    done
    remove "$LAUNCHER"
    [[ -n $user ]] || return 0
    home=$(user_home "$user")
    remove "$home/.config/autostart/oefenkiosk.desktop"
    file=$home/.config/labwc/autostart
    if [[ -f $(p "$file") ]] && grep -qxF "$MARK_BEGIN" "$(p "$file")"; then
        if [[ -z $(without_block "$(p "$file")" | tr -d '[:space:]') ]]; then
            remove "$file" # it held nothing but the kiosk
        else
            put "$file" 0644 "" < <(without_block "$(p "$file")" | with_blanking)
        fi
    fi
    file=$home/.config/wayfire.ini
    if [[ -f $(p "$file") ]] && grep -qxF "oefenkiosk = $LAUNCHER" "$(p "$file")"; then
        put "$file" 0644 "" < <(wayfire_without_autostart "$(p "$file")")
    fi
}

# --- screen blanking -------------------------------------------------------------------------
screen_blanking() {
    step "Screen blanking"
    if [[ $MODE == console ]]; then
        info "the service turns console blanking off on tty1 (setterm --blank 0) at every start"
        if ! staging && ! grep -qs 'consoleblank=0' /proc/cmdline; then
            info "advice: also add consoleblank=0 to the kernel command line ($(cmdline_file))"
        fi
        return
    fi
    info "the kiosk keeps the screen awake (Kivy allow_screensaver = 0); labwc's blanking"
    info "(swayidle in the autostart) is off; the session launcher turns the X11 screen saver"
    info "off (xset) and GNOME's blank screen (gsettings)"
    if staging; then
        skip "raspi-config nonint do_blanking 1 (--root)"
    elif command -v labwc >/dev/null 2>&1; then
        # raspi-config would delete the swayidle lines, also the one --uninstall gives back
        same "labwc: no screen blanking in $DESKTOP_USER's autostart (see above)"
    elif ((IS_PI)) && command -v raspi-config >/dev/null 2>&1; then
        if [[ $(raspi-config nonint get_blanking 2>/dev/null || true) == 1 ]]; then
            same "screen blanking is off (raspi-config)"
        else
            act "turn screen blanking off for the desktop (raspi-config nonint do_blanking 1)" \
                raspi-config nonint do_blanking 1
        fi
    fi
}

cmdline_file() {
    if [[ -f /boot/firmware/cmdline.txt ]]; then
        printf '/boot/firmware/cmdline.txt, on the one line'
    elif ((IS_PI)); then
        printf '/boot/cmdline.txt, on the one line'
    else
        printf 'GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then update-grub'
    fi
}

# --- starting ----------------------------------------------------------------------------------
activate_console() {
    step "Starting (console mode)"
    if staging; then
        skip "systemctl daemon-reload, enable and start oefenkiosk.service and oefenkiosk-restart.timer (--root)"
        return
    fi
    if ! command -v systemctl >/dev/null 2>&1; then
        warn "systemctl not found: this system does not use systemd; the kiosk will not start by itself"
        return
    fi
    if systemd_running && ((UNITS_CHANGED)); then
        act "reload systemd's units" systemctl daemon-reload
    fi
    local unit
    for unit in oefenkiosk.service oefenkiosk-restart.timer; do
        if systemctl is-enabled --quiet "$unit" 2>/dev/null; then
            same "$unit is enabled"
        else
            act "enable $unit (start at boot)" systemctl enable --quiet "$unit"
        fi
    done
    if ! systemd_running; then
        info "systemd is not running here (a container or chroot): the kiosk starts at the next boot"
        return
    fi
    if ! systemctl is-active --quiet oefenkiosk-restart.timer; then
        act "start oefenkiosk-restart.timer" systemctl start oefenkiosk-restart.timer
    fi
    if ! systemctl is-active --quiet oefenkiosk.service; then
        act "start the kiosk (oefenkiosk.service)" systemctl start --no-block oefenkiosk.service
    elif ((RESTART_NEEDED)); then
        act "restart the kiosk with the new version" systemctl restart --no-block oefenkiosk.service
    else
        same "the kiosk is running"
    fi
}

activate_desktop() {
    step "Starting (desktop mode)"
    if staging; then
        skip "systemctl --user daemon-reload / restart for $DESKTOP_USER (--root)"
        return
    fi
    if systemd_running && ((UNITS_CHANGED)); then
        act "reload systemd's units" systemctl daemon-reload
    fi
    if ((RESTART_NEEDED)) && systemd_running && ! ((DRY_RUN)); then
        # A session that is running now picks up the new version; otherwise the next login does.
        systemctl --user --machine="$DESKTOP_USER@" daemon-reload >/dev/null 2>&1 || true
        systemctl --user --machine="$DESKTOP_USER@" try-restart oefenkiosk.service >/dev/null 2>&1 || true
    fi
    info "the kiosk starts when $DESKTOP_USER's desktop session starts (auto-login): reboot to start it"
}

# --- PINs --------------------------------------------------------------------------------------
# set-pin reads the PIN from standard input when that is not a terminal. The PIN is never on
# a command line, in the environment of a command, in the output or in a log.
# pins_wanted: whether this run sets PINs at all (says why not, once, when it does not).
pins_wanted() {
    local quiet=${1:-}
    if [[ $ACTION == update ]]; then
        [[ -n $quiet ]] || same "PINs kept (--update never changes them)"
        return 1
    fi
    if staging; then
        [[ -n $quiet ]] || skip "oefenkiosk set-pin staff / volunteer (--root: the PINs belong to the real kiosk)"
        return 1
    fi
    if [[ -f $(p "$PIN_MARK") ]] && ! ((ASK_PINS)); then
        [[ -n $quiet ]] || same "PINs were set before; kept (--pins sets them again, or use staff mode)"
        return 1
    fi
    return 0
}

# Asked at the start, so the rest of the install runs without anyone at the keyboard.
ASKED_PINS=0
collect_pins() {
    if ! pins_wanted quiet || ((DRY_RUN)) || [[ ! -t 0 ]]; then return 0; fi
    if [[ -n $STAFF_PIN && -n $VOLUNTEER_PIN ]]; then return 0; fi
    step "PINs for staff and volunteers (set at the end of the install)"
    info "Staff open staff mode with their PIN; volunteers have a PIN of their own."
    if [[ -z $STAFF_PIN ]]; then
        ask_pin "staff (medewerker)"
        STAFF_PIN=$REPLY_PIN
    fi
    if [[ -z $VOLUNTEER_PIN ]]; then
        ask_pin "volunteer (vrijwilliger)"
        VOLUNTEER_PIN=$REPLY_PIN
    fi
    REPLY_PIN=""
    ASKED_PINS=1
}

set_pins() {
    step "PINs for staff and volunteers"
    pins_wanted || return 0
    local role pin label variable done_roles=""
    for role in staff volunteer; do
        if [[ $role == staff ]]; then
            pin=$STAFF_PIN label="staff (medewerker)"
        else
            pin=$VOLUNTEER_PIN label="volunteer (vrijwilliger)"
        fi
        variable="OEFENKIOSK_${role^^}_PIN"
        if [[ -z $pin ]]; then
            if ((ASKED_PINS)); then
                skip "no $label PIN given; the kiosk asks staff to set it on first use"
            elif [[ -t 0 ]] && ((DRY_RUN)); then
                act "ask for the $label PIN and set it (oefenkiosk set-pin $role)" true
            elif [[ -t 0 ]]; then
                ask_pin "$label"
                pin=$REPLY_PIN
                REPLY_PIN=""
                [[ -n $pin ]] || skip "no $label PIN given; the kiosk asks staff to set it on first use"
            else
                skip "no $label PIN: $variable is not set and there is no terminal to ask;" \
                    "the kiosk asks staff to set it on first use"
            fi
            [[ -n $pin ]] || continue
        elif ! [[ $pin =~ ^[0-9]{6,}$ ]]; then
            warn "$variable must be at least 6 digits (and only digits); that PIN is not set"
            continue
        fi
        if act "set the $label PIN (oefenkiosk set-pin $role, the PIN on standard input)" \
            feed_pin "$role" "$pin"; then
            done_roles+="$role "
        else
            warn "setting the $label PIN failed; set it later:" \
                "sudo -u $RUN_USER OEFENKIOSK_CONFIG=$CONFIG $KIOSK_BIN set-pin $role"
        fi
    done
    pin=""
    STAFF_PIN="" VOLUNTEER_PIN=""
    PINS_DONE=$done_roles
    if [[ -n $done_roles ]] && ! ((DRY_RUN)); then
        printf '%s\n' "$done_roles" >"$(p "$PIN_MARK")"
    fi
}

REPLY_PIN=""
ask_pin() {
    local label=$1 first second try
    REPLY_PIN=""
    for try in 1 2 3; do
        read -r -s -p "    $label PIN, at least 6 digits (Enter: skip): " first || first=""
        printf '\n' >&2
        [[ -n $first ]] || return 0
        if ! [[ $first =~ ^[0-9]{6,}$ ]]; then
            info "At least 6 digits, and only digits. ($try/3)"
            continue
        fi
        read -r -s -p "    The same PIN again: " second || second=""
        printf '\n' >&2
        if [[ $first == "$second" ]]; then
            REPLY_PIN=$first
            return 0
        fi
        info "The two PINs differ. ($try/3)"
    done
}

feed_pin() {
    local role=$1 pin=$2
    printf '%s\n' "$pin" | as_kiosk_user env -u OEFENKIOSK_STAFF_PIN -u OEFENKIOSK_VOLUNTEER_PIN \
        OEFENKIOSK_CONFIG="$CONFIG" "$KIOSK_BIN" set-pin "$role"
}

# The PINs belong to the user the kiosk runs as, so it can always read what set-pin wrote.
as_kiosk_user() { runuser -u "$RUN_USER" -- "$@"; }

# --- what was installed -------------------------------------------------------------------------
read_state() {
    local file key value
    file=$(p "$STATE")
    [[ -f $file ]] || return 1
    while IFS='=' read -r key value; do
        case $key in
        MODE) [[ -n $MODE ]] || MODE=$value ;;
        DESKTOP_USER) [[ -n $DESKTOP_USER ]] || DESKTOP_USER=$value ;;
        RESTART_AT) [[ -n $RESTART_AT ]] || RESTART_AT=$value ;;
        WATCHDOG_SEC) [[ -n $WATCHDOG_SEC ]] || WATCHDOG_SEC=$value ;;
        esac
    done <"$file"
}

write_state() {
    put "$STATE" 0644 root:root <<EOF
# How this kiosk was installed: read by deploy_kiosk.sh --update and --uninstall.
MODE=$MODE
DESKTOP_USER=$DESKTOP_USER
RESTART_AT=$RESTART_AT
WATCHDOG_SEC=$WATCHDOG_SEC
EOF
}

# Desktop when a display manager is enabled and the machine boots to graphical.target.
detect_mode() {
    local link target=""
    for link in /etc/systemd/system/default.target /lib/systemd/system/default.target \
        /usr/lib/systemd/system/default.target; do
        if [[ -L $(p "$link") ]]; then
            target=$(readlink "$(p "$link")")
            break
        fi
    done
    if [[ -L $(p /etc/systemd/system/display-manager.service) && ${target##*/} == graphical.target ]]; then
        printf desktop
    else
        printf console
    fi
}

detect_desktop_user() {
    local name="" file
    for file in /etc/lightdm/lightdm.conf /etc/lightdm/lightdm.conf.d/*.conf; do
        [[ -f $(p "$file") ]] || continue
        name=$(sed -n 's/^[[:space:]]*autologin-user[[:space:]]*=[[:space:]]*\([^[:space:]]*\).*/\1/p' "$(p "$file")" | tail -n 1)
        [[ -z $name ]] || break
    done
    if [[ -z $name ]]; then
        for file in /etc/gdm3/daemon.conf /etc/gdm3/custom.conf; do
            [[ -f $(p "$file") ]] || continue
            name=$(sed -n 's/^[[:space:]]*AutomaticLogin[[:space:]]*=[[:space:]]*\([^[:space:]]*\).*/\1/p' "$(p "$file")" | tail -n 1)
            [[ -z $name ]] || break
        done
    fi
    if [[ -z $name && -n ${SUDO_USER:-} && ${SUDO_USER:-} != root ]]; then
        name=$SUDO_USER
    fi
    printf '%s' "$name"
}

resolve_settings() {
    read_state || true
    if [[ -z $MODE ]]; then
        MODE=$(detect_mode)
        info "display mode: $MODE (detected; --mode desktop|console to choose)"
    else
        info "display mode: $MODE"
    fi
    RESTART_AT=${RESTART_AT:-04:30}
    WATCHDOG_SEC=${WATCHDOG_SEC:-30}
    if [[ $MODE == desktop ]]; then
        [[ -n $DESKTOP_USER ]] || DESKTOP_USER=$(detect_desktop_user)
        [[ -n $DESKTOP_USER ]] ||
            die "desktop mode: whose desktop session shows the kiosk? Pass --desktop-user NAME"
        if ! user_exists "$DESKTOP_USER"; then
            if staging || ((DRY_RUN)); then
                warn "user $DESKTOP_USER does not exist (yet); assuming home /home/$DESKTOP_USER"
            else
                die "desktop mode: user $DESKTOP_USER does not exist"
            fi
        elif [[ $(id -u "$DESKTOP_USER") == 0 ]]; then
            die "desktop mode: the kiosk must not run as root; pass --desktop-user with a normal user"
        fi
        RUN_USER=$DESKTOP_USER
        info "desktop user: $DESKTOP_USER"
    else
        DESKTOP_USER=""
        RUN_USER=$KIOSK_USER
    fi
}

# --- the three actions -----------------------------------------------------------------------
do_install() {
    if [[ $ACTION == update ]] && ! [[ -f $(p "$STATE") && -d $(p "$APP") ]]; then
        die "Oefenkiosk is not installed here (no $STATE): run without --update first"
    fi
    local previous_user=""
    if [[ -f $(p "$STATE") ]]; then
        previous_user=$(sed -n 's/^DESKTOP_USER=//p' "$(p "$STATE")")
    fi
    resolve_settings
    collect_pins
    install_packages
    check_python
    ensure_user
    install_app
    write_state
    install_venv
    write_config
    ensure_data
    write_kivy_config
    if [[ $MODE == console ]]; then
        install_console_units "$previous_user"
    else
        install_desktop_units "$previous_user"
    fi
    screen_blanking
    set_pins # before the kiosk starts, so it starts with them
    if [[ $MODE == console ]]; then activate_console; else activate_desktop; fi
    summary
}

do_uninstall() {
    read_state || true
    [[ -n $DESKTOP_USER ]] || DESKTOP_USER=$(detect_desktop_user)
    step "Services and autostart"
    remove_console_units
    remove_desktop_units "$DESKTOP_USER"
    if ((UNITS_CHANGED)) && ! staging && systemd_running; then
        act "reload systemd's units" systemctl daemon-reload
    fi
    step "App"
    remove "$OPT"
    step "User $KIOSK_USER"
    if staging; then
        skip "userdel $KIOSK_USER (--root)"
    else
        if user_exists "$KIOSK_USER"; then
            act "remove the user $KIOSK_USER and its group" remove_kiosk_user
        elif getent group "$KIOSK_USER" >/dev/null 2>&1; then
            act "remove the group $KIOSK_USER" groupdel "$KIOSK_USER"
        fi
    fi
    step "Settings and data"
    if ((PURGE)); then
        remove "$ETC"
        remove "$DATA"
    else
        [[ ! -e $(p "$ETC") ]] || info "kept $ETC (--purge removes it)"
        [[ ! -e $(p "$DATA") ]] || info "kept $DATA: practice log and PINs (--purge removes it)"
    fi
    info "the system packages stay installed (${PACKAGES[*]})"
    printf '\n'
    if ((DRY_RUN)); then
        printf 'Dry run: nothing was changed (%d actions planned).\n' "$CHANGES"
    elif ((CHANGES == 0)); then
        printf 'Nothing to change: Oefenkiosk is not installed%s.\n' "${ROOT:+ in $ROOT}"
    else
        printf 'Oefenkiosk is removed%s.\n' "${ROOT:+ from $ROOT}"
    fi
}

remove_kiosk_user() {
    userdel "$KIOSK_USER"
    # userdel keeps the group while the desktop user is in it
    if getent group "$KIOSK_USER" >/dev/null 2>&1; then groupdel "$KIOSK_USER"; fi
}

summary() {
    printf '\n'
    if ((DRY_RUN)); then
        printf 'Dry run: nothing was changed (%d actions planned).\n' "$CHANGES"
    elif ((CHANGES == 0)); then
        printf 'Nothing to change: Oefenkiosk %s is installed as asked%s.\n' "$(app_version)" "${ROOT:+ in $ROOT}"
    else
        printf 'Oefenkiosk %s is installed%s (%d changes).\n' "$(app_version)" "${ROOT:+ in $ROOT}" "$CHANGES"
    fi
    cat <<EOF

  Mode        $MODE$([[ $MODE == desktop ]] && printf ' (in the desktop session of %s)' "$DESKTOP_USER")
  App         $APP, Python environment $VENV (Kivy from PyPI)
  Settings    $CONFIG
  Data        $DATA (Kivy settings: $KIVY_DIR/config.ini)
  Service     oefenkiosk.service: watchdog ${WATCHDOG_SEC} s, restarts after a crash or a
              frozen screen, and every night at $RESTART_AT
  Staff mode  press the corner of the banner for 3 seconds, then enter the staff PIN
EOF
    if [[ $MODE == console ]]; then
        printf '  Logs        journalctl -u oefenkiosk -f\n'
    else
        printf '  Logs        journalctl --user -u oefenkiosk -f  (as %s), or: sudo journalctl --user-unit oefenkiosk -f\n' \
            "$DESKTOP_USER"
        printf '  Start       reboot: the kiosk starts with the auto-login desktop session\n'
    fi
    if [[ -n $PINS_DONE ]] && ! ((DRY_RUN)); then
        printf '  PINs        set: %s\n' "$PINS_DONE"
    fi
    cat <<EOF

Optional hardening (advice only, nothing of this was changed):
  - a read-only root file system, so a power cut cannot damage the SD card:
    sudo raspi-config -> Performance Options -> Overlay File System. Everything written
    afterwards is lost at reboot, $DATA too (practice log, PINs changed in staff mode):
    set the PINs first, or keep $DATA on a writable partition.
  - logs in memory only (less SD card wear): in /etc/systemd/journald.conf.d/oefenkiosk.conf
    put "[Journal]" and "Storage=volatile" on two lines, then: sudo systemctl restart systemd-journald
EOF
}

on_error() {
    if [[ $BASHPID == "$$" ]]; then
        printf '\n%s: stopped: a command failed (exit %s, line %s). Fix the cause shown above and\n' \
            "$PROG" "$1" "$2" >&2
        printf 'run the script again: it checks every step and goes on where it stopped.\n' >&2
    fi
}

main() {
    take_pins_from_environment
    parse_args "$@"
    if ! ((DRY_RUN)) && ! staging && ((EUID != 0)); then
        die "run it as root: sudo ./$PROG $*"
    fi
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
    set -E
    trap 'on_error $? $LINENO' ERR
    if staging && ! ((DRY_RUN)); then
        mkdir -p "$ROOT"
    fi
    printf 'Oefenkiosk %s: %s%s%s\n' "$(app_version)" "$ACTION" "${ROOT:+ (staging root $ROOT)}" \
        "$( ((DRY_RUN)) && printf ' (dry run: nothing is changed)')"
    detect_system
    info "system: $OS_NAME$( ((IS_PI)) && printf ', a Raspberry Pi')"
    if staging; then info "staging root: no apt-get, useradd, systemctl, ownership changes or PINs"; fi
    if [[ $ACTION == uninstall ]]; then
        do_uninstall
    else
        do_install
    fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
