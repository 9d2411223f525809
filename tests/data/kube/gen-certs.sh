#!/bin/sh
# Regenerates the TLS fixtures of tst_apiclient (valid for 100 years). Needs the openssl CLI.
#   ca.crt        trusted test CA (CN vk-test-ca)
#   other-ca.crt  an unrelated CA, to prove that only the pinned CA is trusted
#   server.crt/key  signed by ca, SAN DNS:kubernetes.test only (not 127.0.0.1: needs tls-server-name)
#   client.crt/key  signed by ca, CN vk-test-client, EC P-256 key (SEC1 PEM)
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
days=36500

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out ca.crt -days $days \
    -subj "/CN=vk-test-ca" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/other-ca.key" -out other-ca.crt -days $days \
    -subj "/CN=vk-other-ca" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

openssl req -newkey rsa:2048 -nodes -keyout server.key -out "$tmp/server.csr" -subj "/CN=kube-apiserver"
printf 'subjectAltName=DNS:kubernetes.test\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' > "$tmp/server.ext"
openssl x509 -req -in "$tmp/server.csr" -CA ca.crt -CAkey "$tmp/ca.key" -CAcreateserial -out server.crt \
    -days $days -extfile "$tmp/server.ext"

openssl ecparam -name prime256v1 -genkey -noout -out client.key
openssl req -new -key client.key -out "$tmp/client.csr" -subj "/O=system:masters/CN=vk-test-client"
printf 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n' > "$tmp/client.ext"
openssl x509 -req -in "$tmp/client.csr" -CA ca.crt -CAkey "$tmp/ca.key" -CAcreateserial -out client.crt \
    -days $days -extfile "$tmp/client.ext"
rm -f ca.srl .srl
