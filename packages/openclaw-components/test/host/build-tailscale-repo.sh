#!/usr/bin/env bash
# Host tier: Tailscale's package repository as the bootstrap meets it, with a
# stand-in package. Builds under <out>:
#  - tls/ca.crt, tls/server.{crt,key}: a throwaway CA and a certificate for
#    pkgs.tailscale.com (the test host trusts the CA, and its /etc/hosts points
#    the name at the fake services);
#  - www/stable/<id>/<codename>.noarmor.gpg: the repository's signing key
#    (binary, as Tailscale publishes it), from a throwaway GnuPG home;
#  - www/stable/<id>/<codename>.tailscale-keyring.list: the apt source line
#    with signed-by, as Tailscale publishes it;
#  - www/stable/<id>/dists/<codename>/{Release,InRelease,main/binary-<arch>/Packages}
#    and pool/tailscale_<version>_<arch>.deb: a signed apt repository whose one
#    package installs the fake tailscale CLI and tailscaled with a unit shaped
#    like the real package's.
# Usage: build-tailscale-repo.sh <out> <id> <codename> <arch>
set -euo pipefail

out="$1" id="$2" codename="$3" arch="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="1.0.0+hosttier"
repo="${out}/www/stable/${id}"
work=$(mktemp -d)
export GNUPGHOME="${work}/gnupg"
# gpg starts an agent for the throwaway home: it stops with the script.
trap 'gpgconf --kill all 2>/dev/null || true; rm -rf "$work"' EXIT
install -d -m 0755 "${out}/tls" "${repo}/pool" "${repo}/dists/${codename}/main/binary-${arch}"

# TLS for pkgs.tailscale.com.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=host tier test CA" \
  -keyout "${work}/ca.key" -out "${out}/tls/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=pkgs.tailscale.com" \
  -keyout "${out}/tls/server.key" -out "${work}/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:pkgs.tailscale.com\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"${work}/ext"
openssl x509 -req -in "${work}/server.csr" -CA "${out}/tls/ca.crt" -CAkey "${work}/ca.key" -CAcreateserial \
  -days 2 -extfile "${work}/ext" -out "${out}/tls/server.crt" 2>/dev/null

# The stand-in package.
pkg="${work}/pkg"
install -d -m 0755 "${pkg}/DEBIAN" "${pkg}/usr/bin" "${pkg}/usr/sbin" "${pkg}/lib/systemd/system"
install -m 0755 "${here}/fake-tailscale.sh" "${pkg}/usr/bin/tailscale"
install -m 0755 "${here}/fake-tailscaled.sh" "${pkg}/usr/sbin/tailscaled"
install -m 0644 "${here}/tailscaled.service" "${pkg}/lib/systemd/system/tailscaled.service"
cat >"${pkg}/DEBIAN/control" <<EOF
Package: tailscale
Version: ${version}
Architecture: ${arch}
Maintainer: host tier <host-tier@invalid>
Section: net
Priority: optional
Description: Tailscale stand-in for the host tier
 The fake tailscale CLI and tailscaled of the library's real-host tests.
EOF
deb="pool/tailscale_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$pkg" "${repo}/${deb}" >/dev/null

# The repository's index, its Release and the signature over it.
(cd "$repo" && dpkg-scanpackages --multiversion pool /dev/null 2>/dev/null) >"${repo}/dists/${codename}/main/binary-${arch}/Packages"
packages="main/binary-${arch}/Packages"
{
  printf 'Origin: Tailscale\nLabel: Tailscale\nSuite: %s\nCodename: %s\n' "$codename" "$codename"
  printf 'Architectures: %s\nComponents: main\nDate: %s\n' "$arch" "$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
  printf 'SHA256:\n %s %s %s\n' "$(sha256sum <"${repo}/dists/${codename}/${packages}" | cut -d' ' -f1)" \
    "$(stat -c %s "${repo}/dists/${codename}/${packages}")" "$packages"
} >"${repo}/dists/${codename}/Release"
install -d -m 0700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "host tier repository <host-tier@invalid>" ed25519 sign 2d 2>/dev/null
gpg --batch --quiet --yes --clearsign -o "${repo}/dists/${codename}/InRelease" "${repo}/dists/${codename}/Release"
gpg --batch --quiet --export >"${repo}/${codename}.noarmor.gpg"
printf 'deb [signed-by=/usr/share/keyrings/tailscale-archive-keyring.gpg] https://pkgs.tailscale.com/stable/%s %s main\n' \
  "$id" "$codename" >"${repo}/${codename}.tailscale-keyring.list"
echo "tailscale stand-in repository: ${deb} (${version}), signed, served as https://pkgs.tailscale.com/stable/${id}"
