/**
 * kafkajs's `ssl` option (Node TLS options) from a Kafka source config, shared by the Kafka source and the Kafka
 * on-failure destination: the system CAs, a private CA (`ssl.caCertificate`, AWS's SERVER_ROOT_CA_CERTIFICATE) and a
 * client certificate for mutual TLS (`ssl.certificate` + `ssl.key` [+ `keyPassword`], AWS's
 * CLIENT_CERTIFICATE_TLS_AUTH, https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html).
 *
 * PEM files are read here, when the client is built (they may be mounted after the config was validated). The
 * material is checked before anything connects — a certificate is a certificate, the key decrypts with its password
 * and belongs to the certificate — so a mistake is one CONFIG_INVALID that names the setting and the file (never its
 * contents, never the password) instead of a TLS alert from the broker. AWS accepts only PBES1-encrypted keys;
 * Tributary (Node's OpenSSL 3) reads PBES2 (openssl's default, AES-256) and the PBES1 schemes OpenSSL's default
 * provider keeps (pbeWithSHA1And3-KeyTripleDES-CBC); the DES / RC2 / MD5 ones need OpenSSL's legacy provider.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { KafkaClientCertificate, KafkaSourceConfig, PemSource } from '../config/types.js';
import { TributaryError } from '../errors.js';

/** kafkajs's `ssl` option: Node TLS options (the parts Tributary sets) or `true` (system CAs, verified). */
export interface KafkaTlsOptions {
  readonly ca?: string[];
  readonly cert?: string;
  readonly key?: string;
  /** Decrypts `key`; a secret. */
  readonly passphrase?: string;
  readonly rejectUnauthorized: boolean;
}

export type KafkaTlsConfig = Pick<KafkaSourceConfig, 'ssl' | 'sslCaFile' | 'sslRejectUnauthorized' | 'sslCaPem' | 'sslClientCertificate'>;

const CERTIFICATE = '-----BEGIN CERTIFICATE-----';

function invalid(message: string, cause?: unknown): TributaryError {
  return new TributaryError('CONFIG_INVALID', `kafka source: ${message}`, cause === undefined ? {} : { cause });
}

/** Where a PEM value came from, for messages: the file's path, or "(PEM text)". Never the content. */
function origin(source: PemSource): string {
  return 'file' in source ? source.file : '(PEM text)';
}

/** The PEM text of `source` (a file is read now); CONFIG_INVALID naming `setting` and the path when unreadable. */
function readPem(setting: string, source: PemSource): string {
  if ('pem' in source) return source.pem;
  try {
    return readFileSync(source.file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw invalid(`${setting} ${source.file} cannot be read (${reason})`, error);
  }
}

function certificates(setting: string, source: PemSource): string {
  const pem = readPem(setting, source);
  if (!pem.includes(CERTIFICATE)) throw invalid(`${setting} ${origin(source)} holds no PEM certificate (${CERTIFICATE})`);
  try {
    new X509Certificate(pem);
  } catch (error) {
    throw invalid(`${setting} ${origin(source)} is not a valid PEM certificate`, error);
  }
  return pem;
}

/** PKCS#8 `ENCRYPTED PRIVATE KEY` or a legacy `Proc-Type: 4,ENCRYPTED` header (RFC 1421). */
function isEncrypted(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
}

function keyError(client: KafkaClientCertificate, pem: string): TributaryError {
  const where = origin(client.key);
  if (!isEncrypted(pem)) return invalid(`ssl.key ${where} is not a valid PEM private key`);
  return client.keyPassword === null
    ? invalid(`ssl.key ${where} is encrypted: set ssl.keyPassword`)
    : invalid(`ssl.key ${where} cannot be decrypted with ssl.keyPassword (wrong password?)`);
}

function clientMaterial(client: KafkaClientCertificate): Pick<KafkaTlsOptions, 'cert' | 'key' | 'passphrase'> {
  const cert = certificates('ssl.certificate', client.certificate);
  const key = readPem('ssl.key', client.key);
  if (!/-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/.test(key)) throw invalid(`ssl.key ${origin(client.key)} holds no PEM private key (-----BEGIN … PRIVATE KEY-----)`);
  const passphrase = client.keyPassword ?? undefined;
  try {
    createPrivateKey(passphrase === undefined ? { key, format: 'pem' } : { key, format: 'pem', passphrase });
  } catch {
    // Neither the key nor the password goes into the message, and the crypto error is not kept as the cause.
    throw keyError(client, key);
  }
  try {
    createSecureContext({ cert, key, ...(passphrase === undefined ? {} : { passphrase }) });
  } catch {
    throw invalid(`ssl.certificate ${origin(client.certificate)} and ssl.key ${origin(client.key)} do not belong together (the key is not the certificate's)`);
  }
  return { cert, key, ...(passphrase === undefined ? {} : { passphrase }) };
}

/**
 * The TLS options for a Kafka source config: undefined without TLS, `true` for TLS with the system CAs and nothing
 * else, else Node TLS options. Throws CONFIG_INVALID (see the file comment).
 */
export function kafkaSslOptions(config: KafkaTlsConfig): KafkaTlsOptions | true | undefined {
  if (!config.ssl) return undefined;
  const rejectUnauthorized = config.sslRejectUnauthorized ?? true;
  const caSource: PemSource | null = config.sslCaPem != null ? { pem: config.sslCaPem } : config.sslCaFile != null ? { file: config.sslCaFile } : null;
  const client = config.sslClientCertificate ?? null;
  if (caSource === null && client === null) return rejectUnauthorized ? true : { rejectUnauthorized };
  return {
    ...(caSource === null ? {} : { ca: [certificates('ssl.caCertificate', caSource)] }),
    ...(client === null ? {} : clientMaterial(client)),
    rejectUnauthorized,
  };
}
