#!/usr/bin/env bash
# Builds the citychain-haproxy image from the build host's Debian haproxy
# package: the binary, every shared library it links (ldd) and the dynamic
# loader, in an otherwise empty image. Usage: docker/haproxy/build.sh TAG
set -euo pipefail
tag=${1:?usage: docker/haproxy/build.sh TAG}
here=$(cd "$(dirname "$0")" && pwd)
bin=/usr/sbin/haproxy
if [ ! -x "$bin" ]; then
	echo "docker/haproxy/build.sh needs Debian's haproxy package: apt-get install haproxy" >&2
	exit 1
fi
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
root=$ctx/rootfs
mkdir -p "$root/usr/sbin" "$root/etc" "$root/usr/local/etc/haproxy" "$root/var/lib/haproxy"
cp "$bin" "$root/usr/sbin/haproxy"
# Every library the binary links, at the path the loader looks for it.
for lib in $(ldd "$bin" | awk '/=> \//{print $3} /^\t\/lib/{print $1}'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
printf 'root:x:0:0:root:/:/sbin/nologin\nhaproxy:x:10002:10002:haproxy:/var/lib/haproxy:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nhaproxy:x:10002:\n' >"$root/etc/group"
cp "$here/Dockerfile" "$ctx/Dockerfile"
version=$("$bin" -v | awk 'NR==1{print $3}')
DOCKER_BUILDKIT=0 docker build -q --build-arg HAPROXY_VERSION="$version" -t "$tag" "$ctx" >/dev/null
echo "$tag (HAProxy $version)"
