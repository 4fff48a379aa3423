/**
 * No config error echoes a value that may be a secret (issue 19): SASL credentials, http headers, sandbox
 * environment values, fields named like a secret, and values interpolated from a secret-named variable.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../../src/cli/commands/validate.js';
import { runCommand } from '../../../src/cli/commands/run.js';
import { KAFKA, KINESIS, issuesOf, objectIssuesOf, onePipeline } from './helpers.js';

const SECRET = '80085123';

function messages(text: string, env: Record<string, string> = {}): string {
  return issuesOf(text, env)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('\n');
}

describe('secret fields are never echoed', () => {
  it('a SASL password written as a number', () => {
    const text = onePipeline([...KAFKA, `sasl: { mechanism: plain, username: u, password: ${SECRET} }`], ['startingPosition: LATEST']);
    const out = messages(text);
    expect(out).toContain('pipelines[0].source.sasl.password: expected a string (got a hidden number); quote it');
    expect(out).not.toContain(SECRET);
  });

  it('a SASL username written as a number or a boolean', () => {
    const text = onePipeline([...KAFKA, `sasl: { mechanism: plain, username: ${SECRET}, password: true }`], ['startingPosition: LATEST']);
    const out = messages(text);
    expect(out).toContain('sasl.username: expected a string (got a hidden number)');
    expect(out).toContain('sasl.password: expected a string (got a hidden boolean)');
    expect(out).not.toContain(SECRET);
  });

  it('http header values and sandbox environment values', () => {
    const http = [
      'pipelines:',
      '  - name: orders',
      '    source: { type: kinesis, streamName: orders }',
      '    startingPosition: LATEST',
      `    function: { type: http, url: 'http://127.0.0.1:9000', headers: { Authorization: ${SECRET}, X-Trace: 4242424242 } }`,
      '  - name: other',
      '    source: { type: kinesis, streamName: other }',
      '    startingPosition: LATEST',
      `    function: { type: module, handler: ./h.handler, environment: { DB_URL: ${SECRET}, DEBUG: true } }`,
      '',
    ].join('\n');
    const out = messages(http);
    expect(out).toContain('headers.Authorization: expected a string (got a hidden number)');
    expect(out).toContain('environment.DEBUG: expected a string (got a hidden boolean)');
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain('4242424242');
  });

  it('a destination interpolated from a secret-named variable: its rule and schema messages hide it too (config fuzz seed 197640488)', () => {
    const text = onePipeline(KINESIS, ['startingPosition: LATEST', 'destinationConfig: { onFailure: { destination: "${DLQ_TOKEN}" } }']);
    const out = messages(text, { DLQ_TOKEN: 'S3cr3t-env-token-7f3a9q' });
    expect(out).toContain('pipelines[0].destinationConfig.onFailure.destination: must be an SQS queue ARN or URL');
    expect(out).toContain('(got a hidden string)');
    expect(out).not.toContain('S3cr3t-env-token-7f3a9q');
  });

  it('a value interpolated from a secret-named variable, in any field', () => {
    const text = onePipeline(KINESIS, ['startingPosition: LATEST', 'batchSize: ${BATCH_TOKEN}']);
    const out = messages(text, { BATCH_TOKEN: 'hunter2' });
    expect(out).toContain('pipelines[0].batchSize: expected an integer (got a hidden string)');
    expect(out).not.toContain('hunter2');
  });

  it('a broken reference inside a password is not echoed either', () => {
    const text = onePipeline([...KAFKA, 'sasl: { mechanism: plain, username: u, password: "pa${ss wo}rd" }'], ['startingPosition: LATEST']);
    const out = messages(text);
    expect(out).toContain('sasl.password: invalid reference a hidden string');
    expect(out).not.toContain('ss wo');
  });

  it('a password inside a URL is masked wherever a URL is shown', () => {
    const text = onePipeline([...KINESIS, "endpoint: 'ftp://admin:hunter2@10.0.0.1/'"], ['startingPosition: LATEST']);
    const out = messages(text);
    expect(out).toContain('ftp://admin:***@10.0.0.1/');
    expect(out).not.toContain('hunter2');
  });

  it('a password inside a URL is masked even where a rule quotes the value', () => {
    const text = onePipeline(KINESIS, ['startingPosition: LATEST', "destinationConfig: { onFailure: { destination: 'ftp://ops:hunter2@10.0.0.1/x' } }"]);
    const out = messages(text);
    expect(out).toContain('ftp://ops:***@10.0.0.1/x');
    expect(out).not.toContain('hunter2');
  });

  it('other fields still show what was given', () => {
    const text = onePipeline([...KAFKA, 'sasl: { mechanism: plian, username: u, password: p }'], ['startingPosition: LATEST', 'batchSize: 20000']);
    const out = messages(text);
    expect(out).toContain('batchSize: must be between 1 and 10000 (got 20000)');
    expect(out).toContain('sasl.mechanism: must be one of plain, scram-sha-256, scram-sha-512, aws-iam (got "plian")');
  });

  it('library objects too', () => {
    const issues = objectIssuesOf({
      pipelines: [
        {
          name: 'a',
          startingPosition: 'LATEST',
          source: { type: 'kafka', bootstrapServers: ['127.0.0.1:9092'], topics: ['t'], sasl: { mechanism: 'plain', username: 'u', password: 80085123 } },
          function: { type: 'in-process', handler: () => null },
        },
      ],
    });
    expect(JSON.stringify(issues)).not.toContain(SECRET);
    expect(issues).toEqual([expect.objectContaining({ path: 'pipelines[0].source.sasl.password', message: 'expected a string (got a hidden number); quote it' })]);
  });
});

describe('validate and run print no secret', () => {
  let dir = '';
  const file = 'secret.yaml';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-secrets-'));
    await writeFile(join(dir, file), onePipeline([...KAFKA, `sasl: { mechanism: scram-sha-512, username: u, password: ${SECRET} }`], ['startingPosition: LATEST']));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const io = (sink: string[]) => ({ stdout: (t: string) => void sink.push(t), stderr: (t: string) => void sink.push(t), env: {}, cwd: dir });

  it('validate: exit 2, the field and its position, no value', async () => {
    const out: string[] = [];
    expect(await validateCommand(['-c', file], io(out))).toBe(2);
    expect(out.join('')).toMatch(/^secret\.yaml:\d+:\d+ pipelines\[0\]\.source\.sasl\.password: expected a string \(got a hidden number\); quote it\n$/);
  });

  it('run: exit 2, same message, no value', async () => {
    const out: string[] = [];
    const run = runCommand({ once: () => undefined }, () => undefined);
    expect(await run(['-c', file], io(out))).toBe(2);
    expect(out.join('')).toContain('sasl.password: expected a string (got a hidden number)');
    expect(out.join('')).not.toContain(SECRET);
  });
});
