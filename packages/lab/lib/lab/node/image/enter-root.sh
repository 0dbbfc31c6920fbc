#!/bin/sh
# Enter a Debian 13 root the lab built, then exec a command in it (chroot). Run in a private
# mount namespace (unshare --mount --propagation private, or ip netns exec), never the host's.
#
#   enter-root.sh ROOT LOWERDIRS UPPER WORK BINDS HOSTNAME -- ARGV...
#
# ROOT      mount point of the node's root
# LOWERDIRS overlay lower layers, colon-separated (a package layer over the image)
# UPPER     the node's own files (its overlay upper), or "-" for a throwaway root on a tmpfs
# WORK      overlay work directory beside UPPER (ignored with "-")
# BINDS     "src=dst|src=dst=ro" bind mounts of host paths into the root (=ro: read-only), or "-"
# HOSTNAME  set in the (private) UTS namespace, or "-"
set -eu
root=$1 lower=$2 upper=$3 work=$4 binds=$5 host=$6
shift 6
[ "${1:-}" = "--" ] && shift

if [ "$upper" = "-" ]; then
  mount -t tmpfs -o mode=0755 pgha-scratch "$root"
  mkdir "$root/.u" "$root/.w" "$root/.r"
  mount -t overlay overlay -o "lowerdir=$lower,upperdir=$root/.u,workdir=$root/.w" "$root/.r"
  root=$root/.r
else
  mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$root"
fi

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys" 2>/dev/null || mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
# Volatile, like a VM's tmpfs /run and /tmp: empty at every boot.
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$root/run"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/tmp"

if [ "$binds" != "-" ]; then
  old_ifs=$IFS
  IFS='|'
  set -f # paths are not patterns
  for b in $binds; do
    src=${b%%=*} rest=${b#*=}
    dst=$root${rest%%=*} opt=
    [ "$rest" = "${rest%=ro}" ] || opt=ro
    if [ -d "$src" ]; then
      mkdir -p "$dst"
    else
      mkdir -p "$(dirname "$dst")"
      [ -e "$dst" ] || : > "$dst"
    fi
    mount --bind "$src" "$dst"
    [ -z "$opt" ] || mount -o remount,bind,ro "$dst"
  done
  set +f
  IFS=$old_ifs
fi

[ "$host" = "-" ] || hostname "$host"
exec chroot "$root" "$@"
