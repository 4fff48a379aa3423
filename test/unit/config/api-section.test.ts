/**
 * The `api:` section: absent means no API; present means enabled with Tributary's defaults; the file may then list no
 * pipeline at all (every mapping can come from the API); mistakes are located like every other field's.
 */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.ts';
import { expectIssue, issuesOf } from './helpers.js';

const parse = (text: string) => parseConfigText(text, { env: {}, file: 'pipelines.yaml', absolutePath: '/cfg/pipelines.yaml' });

describe('api:', () => {
  it('is off without the section, and on with the defaults when it is given', () => {
    const off = parse('pipelines:\n  - { name: p, source: { type: sqs, queueUrl: "http://127.0.0.1:1/000000000000/q" }, function: { type: http, url: "http://127.0.0.1:2/" } }\n');
    expect(off.api.enabled).toBe(false);
    const on = parse('api: {}\npipelines: []\n');
    // The defaults are those of an absent section (test/unit/config/resolve.test.ts lists them), only switched on.
    expect(on.api).toEqual({ ...off.api, enabled: true });
    expect(on.pipelines).toEqual([]);
  });

  it('takes every setting', () => {
    const config = parse(`api:
  host: 0.0.0.0
  port: 9500
  region: eu-west-1
  accountId: '123456789012'
  fileMappings: writable
  syncIntervalSeconds: 5
  sourceDefaults:
    sqs: { endpoint: 'http://127.0.0.1:9324' }
    mskBootstrapServers: { 'arn:aws:kafka:eu-west-1:123456789012:cluster/c/1': ['b1:9092'] }
pipelines: []
`);
    expect(config.api).toMatchObject({ host: '0.0.0.0', port: 9500, region: 'eu-west-1', accountId: '123456789012', fileMappings: 'writable', syncIntervalMs: 5000 });
    expect(config.api.sourceDefaults.sqs).toEqual({ endpoint: 'http://127.0.0.1:9324', region: null });
    expect(config.api.sourceDefaults.mskBootstrapServers).toEqual({ 'arn:aws:kafka:eu-west-1:123456789012:cluster/c/1': ['b1:9092'] });
  });

  it('refuses an empty pipelines list without the API, and bad values at their line', () => {
    expect(issuesOf('api: { enabled: false }\npipelines: []\n')[0]?.message).toBe('must list at least 1 pipeline (or enable api: to create mappings through the Lambda API)');
    const text = 'api:\n  accountId: 123456789012\n  fileMappings: rw\n  syncIntervalSeconds: 0\npipelines: []\n';
    const issues = issuesOf(text);
    expectIssue(text, issues, 'api.accountId', 'quote it', 'accountId:');
    expectIssue(text, issues, 'api.fileMappings', 'must be one of read-only, writable (got "rw")', 'fileMappings:');
    expectIssue(text, issues, 'api.syncIntervalSeconds', 'must be between 1 and 60 (got 0)', 'syncIntervalSeconds:');
  });
});
