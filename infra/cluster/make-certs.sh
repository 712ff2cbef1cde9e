#!/usr/bin/env bash
# Makes what mutual TLS between evalshard's processes needs, with openssl:
#   ca.crt / ca.key          a private CA (keep ca.key offline once done)
#   server.crt / server.key  for the scorer and the GPU workers, valid for the hosts given
#   client.crt / client.key  for `evalshard worker` and the command line
#
#   infra/cluster/make-certs.sh OUT_DIR HOST...    e.g. make-certs.sh /etc/evalshard/tls scorer.internal gpu1 10.0.0.7
#
# localhost and 127.0.0.1 are always included. Certificates last 825 days.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 OUT_DIR [HOST...]" >&2
  exit 2
fi
out=$1
shift
mkdir -p "$out"
cd "$out"
umask 077
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
san="DNS:localhost,IP:127.0.0.1"
for host in "$@"; do
  if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then san="$san,IP:$host"; else san="$san,DNS:$host"; fi
done
key ca.key
openssl req -x509 -new -key ca.key -out ca.crt -days 825 -subj "/CN=evalshard CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
issue() {
  local name=$1 usage=$2 extra=$3
  key "$name.key"
  openssl req -new -key "$name.key" -out "$name.csr" -subj "/CN=evalshard $name"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\n%s' "$usage" "$extra" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt" -days 825 -extfile "$name.ext" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}
issue server serverAuth "subjectAltName=$san"
issue client clientAuth ""
rm -f ca.srl
echo "wrote ca.crt, server.crt/.key ($san) and client.crt/.key to $(pwd)"
