/** `ssl:` of a Kafka source: `true`/`false`, or `{ caCertificate, rejectUnauthorized }` (a private CA). */
import { describe, expect, it } from 'vitest';
import { resolveSource } from '../../../src/config/resolve-source.js';
import { kafkaSslOptions } from '../../../src/connector/kafka-sasl.js';
import { dirname, join } from 'node:path';
import { CONFIG_FILE, KAFKA, issuesOf, onePipeline, parse } from './helpers.js';

const sourceOf = (lines: readonly string[]) => parse(onePipeline([...KAFKA, ...lines], ['startingPosition: LATEST'])).pipelines[0]?.source;

describe('Kafka ssl config', () => {
  it('true / false / absent keep their meaning (system CAs)', () => {
    expect(sourceOf(['ssl: true'])).toMatchObject({ ssl: true, sslCaFile: null, sslRejectUnauthorized: true });
    expect(sourceOf(['ssl: "false"'])).toMatchObject({ ssl: false, sslCaFile: null, sslRejectUnauthorized: true });
    expect(sourceOf([])).toMatchObject({ ssl: false, sslCaFile: null });
  });

  it('a mapping enables TLS with an absolute CA file and rejectUnauthorized (default true)', () => {
    expect(sourceOf(['ssl: { caCertificate: /etc/kafka/ca.pem }'])).toMatchObject({ ssl: true, sslCaFile: '/etc/kafka/ca.pem', sslRejectUnauthorized: true });
    expect(sourceOf(['ssl: { rejectUnauthorized: false }'])).toMatchObject({ ssl: true, sslCaFile: null, sslRejectUnauthorized: false });
    expect(sourceOf(['ssl: {}'])).toMatchObject({ ssl: true, sslCaFile: null, sslRejectUnauthorized: true });
  });

  it('a relative caCertificate resolves against the base directory', () => {
    const source = resolveSource(
      { type: 'kafka', bootstrapServers: ['b:9092'], topics: ['t'], ssl: { caCertificate: 'certs/ca.pem' } },
      'p',
      '/srv/tributary',
    );
    expect(source).toMatchObject({ ssl: true, sslCaFile: '/srv/tributary/certs/ca.pem' });
    // In a file, relative to the file's folder.
    expect(sourceOf(['ssl: { caCertificate: ./certs/ca.pem }'])?.['sslCaFile' as never]).toBe(join(dirname(CONFIG_FILE), 'certs', 'ca.pem'));
  });

  it('refuses a bad shape, naming the field', () => {
    const unknown = issuesOf(onePipeline([...KAFKA, 'ssl: { ca: x.pem }']));
    expect(unknown.some((i) => i.path.includes('ssl') && /unknown field/.test(i.message))).toBe(true);
    const badType = issuesOf(onePipeline([...KAFKA, 'ssl: { caCertificate: 5 }']));
    expect(badType.some((i) => /caCertificate: expected a string/.test(i.message))).toBe(true);
    const notSsl = issuesOf(onePipeline([...KAFKA, 'ssl: 5']));
    expect(notSsl.some((i) => /expected true, false or a mapping/.test(i.message))).toBe(true);
  });

  it('kafkajs options: nothing, true, { rejectUnauthorized }, and a CONFIG_INVALID naming an unreadable file', () => {
    expect(kafkaSslOptions({ ssl: false })).toBeUndefined();
    expect(kafkaSslOptions({ ssl: true, sslCaFile: null, sslRejectUnauthorized: true })).toBe(true);
    expect(kafkaSslOptions({ ssl: true, sslRejectUnauthorized: false })).toEqual({ rejectUnauthorized: false });
    expect(() => kafkaSslOptions({ ssl: true, sslCaFile: '/nonexistent/ca.pem' })).toThrow(/ssl.caCertificate \/nonexistent\/ca.pem cannot be read/);
  });
});
