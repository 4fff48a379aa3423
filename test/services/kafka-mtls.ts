// Certificates for the Kafka client-certificate tests (AWS's CLIENT_CERTIFICATE_TLS_AUTH), made with `openssl` into
// .infra/run/kafka-mtls/ once and kept: the broker's keystore (its own CA, ./kafka.ts ensureKafkaTlsMaterial), a
// client CA the broker's MTLS listener trusts, a client certificate it signed with its key in PEM (PKCS#8) both plain
// and encrypted (AES-256, password CLIENT_KEY_PASSWORD), and a second, untrusted CA with a client certificate of its
// own. Built in a temporary folder and renamed into place, so a half-written set is never used.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { RUN_DIR } from './common.ts';
import { ensureKafkaTlsMaterial } from './kafka.ts';

const run = promisify(execFile);
const DIR = join(RUN_DIR, 'kafka-mtls');
/** Test-only: it protects nothing but the test client's key. */
export const CLIENT_KEY_PASSWORD = 'client-key-secret-Tr1butary';

export interface KafkaMtlsMaterial {
  /** CA of the broker's certificate (what clients trust). */
  readonly brokerCa: string;
  /** The broker's PKCS12 keystore and its password. */
  readonly keystore: string;
  readonly keystorePassword: string;
  /** CA the MTLS listener trusts for client certificates. */
  readonly clientCa: string;
  /** A client certificate signed by `clientCa`, its key (PKCS#8 PEM), and the same key encrypted with CLIENT_KEY_PASSWORD. */
  readonly clientCert: string;
  readonly clientKey: string;
  readonly clientKeyEncrypted: string;
  /** The same key in PBES1 (pbeWithSHA1And3-KeyTripleDES-CBC), the scheme AWS accepts, same password. */
  readonly clientKeyPbes1: string;
  /** A client certificate and key signed by a CA the broker does not trust. */
  readonly untrustedCert: string;
  readonly untrustedKey: string;
}

function material(): KafkaMtlsMaterial {
  const f = (name: string): string => join(DIR, 'client', name);
  return {
    brokerCa: join(DIR, 'server', 'ca.pem'),
    keystore: join(DIR, 'server', 'broker.p12'),
    keystorePassword: '',
    clientCa: f('client-ca.pem'),
    clientCert: f('client.pem'),
    clientKey: f('client.key'),
    clientKeyEncrypted: f('client-encrypted.key'),
    clientKeyPbes1: f('client-pbes1.key'),
    untrustedCert: f('untrusted.pem'),
    untrustedKey: f('untrusted.key'),
  };
}

async function signedClient(dir: string, ca: string, name: string, cn: string): Promise<void> {
  const f = (n: string): string => join(dir, n);
  writeFileSync(f(`${name}.ext`), ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth', ''].join('\n'));
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${cn}`]);
  await run('openssl', ['x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${ca}.pem`), '-CAkey', f(`${ca}.key`), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '3650', '-extfile', f(`${name}.ext`)]);
}

async function selfSignedCa(dir: string, name: string, cn: string): Promise<void> {
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-days', '3650',
    '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

/** Generates what is missing and returns the paths. */
export async function ensureKafkaMtlsMaterial(): Promise<KafkaMtlsMaterial> {
  const paths = material();
  const { password } = await ensureKafkaTlsMaterial(paths.brokerCa, '127.0.0.1');
  const result = { ...paths, keystorePassword: password };
  const clientDir = dirname(paths.clientCert);
  if ([paths.clientCa, paths.clientCert, paths.clientKey, paths.clientKeyEncrypted, paths.clientKeyPbes1, paths.untrustedCert, paths.untrustedKey].every((p) => existsSync(p))) return result;
  mkdirSync(DIR, { recursive: true });
  const tmp = mkdtempSync(`${clientDir}.tmp-`);
  try {
    await Promise.all([selfSignedCa(tmp, 'client-ca', 'Tributary test client CA'), selfSignedCa(tmp, 'untrusted-ca', 'Untrusted CA')]);
    await Promise.all([signedClient(tmp, 'client-ca', 'client', 'tributary-client'), signedClient(tmp, 'untrusted-ca', 'untrusted', 'intruder')]);
    // PKCS#8, AES-256-CBC, as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes it: "-----BEGIN ENCRYPTED PRIVATE KEY-----".
    await run('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', join(tmp, 'client.key'), '-out', join(tmp, 'client-encrypted.key'), '-passout', `pass:${CLIENT_KEY_PASSWORD}`]);
    await run('openssl', ['pkcs8', '-topk8', '-v1', 'PBE-SHA1-3DES', '-in', join(tmp, 'client.key'), '-out', join(tmp, 'client-pbes1.key'), '-passout', `pass:${CLIENT_KEY_PASSWORD}`]);
    rmSync(clientDir, { recursive: true, force: true });
    renameSync(tmp, clientDir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`cannot generate the Kafka client certificates with openssl: ${(error as Error).message}`, { cause: error });
  }
  return result;
}
