/**
 * `ssl.certificate` / `ssl.key` / `ssl.keyPassword` of a Kafka source (AWS's CLIENT_CERTIFICATE_TLS_AUTH): config
 * rules, files or PEM text, and the checks kafkaSslOptions makes before connecting — none of which may show a key or
 * a password. Certificates come from test/services/kafka-mtls.ts (openssl, made once into .infra/).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kafkaSslOptions, type KafkaTlsConfig } from '../../../src/connector/kafka-tls.js';
import { CLIENT_KEY_PASSWORD, ensureKafkaMtlsMaterial, type KafkaMtlsMaterial } from '../../services/kafka-mtls.ts';
import { CONFIG_DIR, KAFKA, expectIssue, issuesOf, onePipeline, parse } from './helpers.ts';

let m: KafkaMtlsMaterial;
beforeAll(async () => {
  m = await ensureKafkaMtlsMaterial();
}, 60_000);

const pipeline = (ssl: string): string => onePipeline([...KAFKA, `ssl: ${ssl}`], ['startingPosition: LATEST']);
const sourceOf = (ssl: string, env: Record<string, string> = {}) => parse(pipeline(ssl), env).pipelines[0]?.source;

function refused(config: KafkaTlsConfig): Error {
  try {
    kafkaSslOptions(config);
  } catch (error) {
    return error as Error;
  }
  return expect.fail('accepted');
}

describe('config: ssl.certificate, ssl.key, ssl.keyPassword', () => {
  it('files resolve against the config folder; PEM text (e.g. from ${ENV}) stays text', () => {
    expect(sourceOf('{ certificate: ./certs/client.pem, key: /etc/kafka/client.key, caCertificate: ./ca.pem }')).toMatchObject({
      ssl: true,
      sslCaFile: `${CONFIG_DIR}/ca.pem`,
      sslCaPem: null,
      sslClientCertificate: { certificate: { file: `${CONFIG_DIR}/certs/client.pem` }, key: { file: '/etc/kafka/client.key' }, keyPassword: null },
    });
    const pem = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----\n';
    const source = sourceOf('{ certificate: "${CERT}", key: "${KEY}", keyPassword: "${PASS}", caCertificate: "${CA}" }', {
      CERT: '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n', KEY: pem, PASS: 'hunter2', CA: '-----BEGIN CERTIFICATE-----\nBB\n-----END CERTIFICATE-----\n',
    });
    expect(source).toMatchObject({ sslCaFile: null, sslCaPem: expect.stringContaining('BB'), sslClientCertificate: { key: { pem }, keyPassword: 'hunter2' } });
  });

  it('a certificate needs its key, a key its certificate, a password a key', () => {
    const cases = [
      ['{ certificate: ./c.pem }', 'pipelines[0].source.ssl.key', 'is required with ssl.certificate', 'ssl:'],
      ['{ key: ./c.key }', 'pipelines[0].source.ssl.certificate', 'is required with ssl.key', 'ssl:'],
      ['{ keyPassword: x }', 'pipelines[0].source.ssl.keyPassword', 'is only allowed with ssl.key', 'keyPassword:'],
    ] as const;
    for (const [ssl, path, message, at] of cases) {
      const text = pipeline(ssl);
      expectIssue(text, issuesOf(text), path, message, at);
    }
  });
});

describe('kafkaSslOptions with a client certificate', () => {
  const tls = (certificate: string, key: string, keyPassword: string | null, pemText = false): KafkaTlsConfig => ({
    ssl: true,
    sslCaFile: m.brokerCa,
    sslClientCertificate: {
      certificate: pemText ? { pem: readFileSync(certificate, 'utf8') } : { file: certificate },
      key: pemText ? { pem: readFileSync(key, 'utf8') } : { file: key },
      keyPassword,
    },
  });

  it('reads the certificate and key (files or PEM text) and passes the password to TLS as the passphrase', () => {
    const plain = kafkaSslOptions(tls(m.clientCert, m.clientKey, null));
    expect(plain).toMatchObject({ cert: readFileSync(m.clientCert, 'utf8'), key: readFileSync(m.clientKey, 'utf8'), rejectUnauthorized: true });
    expect(plain).not.toHaveProperty('passphrase');
    expect(kafkaSslOptions(tls(m.clientCert, m.clientKeyEncrypted, CLIENT_KEY_PASSWORD, true))).toMatchObject({ passphrase: CLIENT_KEY_PASSWORD, ca: [readFileSync(m.brokerCa, 'utf8')] });
    // PBES1 (what AWS accepts) as well as PBES2 (openssl's default, above).
    expect(kafkaSslOptions(tls(m.clientCert, m.clientKeyPbes1, CLIENT_KEY_PASSWORD))).toMatchObject({ passphrase: CLIENT_KEY_PASSWORD });
  });

  it('refuses, naming the setting and the file but never the key or the password', () => {
    const cases: [KafkaTlsConfig, RegExp][] = [
      [tls(m.clientCert, m.clientKeyEncrypted, null), /ssl\.key .*client-encrypted\.key is encrypted: set ssl\.keyPassword/],
      [tls(m.clientCert, m.clientKeyEncrypted, 'not-the-password'), /ssl\.key .*client-encrypted\.key cannot be decrypted with ssl\.keyPassword \(wrong password\?\)/],
      [tls(m.clientCert, m.untrustedKey, null), /ssl\.certificate .*client\.pem and ssl\.key .*untrusted\.key do not belong together/],
      [tls(m.clientKey, m.clientKey, null), /ssl\.certificate .*client\.key holds no PEM certificate/],
      [tls(m.clientCert, m.clientCert, null), /ssl\.key .*client\.pem holds no PEM private key/],
      [tls(m.clientCert, '/nonexistent/k.pem', null), /ssl\.key \/nonexistent\/k\.pem cannot be read \(ENOENT\)/],
      [tls(m.clientCert, m.clientKeyEncrypted, 'not-the-password', true), /ssl\.key \(PEM text\) cannot be decrypted/],
    ];
    for (const [config, message] of cases) {
      const error = refused(config);
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/not-the-password|PRIVATE KEY-----\n/);
      expect(error.message).not.toContain(readFileSync(m.clientKey, 'utf8').split('\n')[1]);
    }
  });
});
