import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../../src/cli/commands/validate.js';
import { configJsonSchema, pipelineUuid, resolveConfigObject } from '../../../src/config/index.js';
import { CONFIG_DIR, expectIssue, issuesOf, NOW_MS, objectIssuesOf, parse, positionOf } from './helpers.js';

const SQS = `source: { type: sqs, queueUrl: 'http://127.0.0.1:19324/000000000000/orders' }`;

describe('functions: map and function references', () => {
  const text = `functions:
  orders:
    type: module
    handler: ./handlers/orders.handler
    timeout: 30
    reservedConcurrency: 5
    description: Handles orders
  remote:
    type: lambda
    functionName: arn:aws:lambda:eu-west-1:123456789012:function:remote
pipelines:
  - name: first
    function: orders
    ${SQS}
  - name: second
    function: orders
    ${SQS.replace('orders', 'orders2')}
  - name: inline
    function: { type: module, handler: ./h.handler }
    ${SQS.replace('orders', 'orders3')}
`;

  it('resolves every entry and gives pipelines that name one the very same object', () => {
    const config = parse(text);
    expect(config.functions['orders']).toEqual({
      type: 'module',
      handlerFile: `${CONFIG_DIR}/handlers/orders`,
      handlerExport: 'handler',
      handler: './handlers/orders.handler',
      timeoutMs: 30_000,
      memorySizeMb: 128,
      environment: {},
      // context.functionName is the map key, not the pipeline name.
      functionName: 'orders',
      provisionedConcurrency: 0,
      awsCredentials: 'none',
      reservedConcurrency: 5,
      description: 'Handles orders',
      // No eventInvokeConfig: AWS's defaults (or what PutFunctionEventInvokeConfig stores), the embedded queue.
      asyncInvoke: { eventInvokeConfig: null, deadLetterTarget: null, queue: { type: 'embedded' } },
    });
    expect(config.functions['remote']).toMatchObject({ type: 'lambda', region: 'eu-west-1', reservedConcurrency: null, description: null });
    const [first, second, inline] = config.pipelines;
    expect(first?.function).toBe(config.functions['orders']);
    expect(second?.function).toBe(config.functions['orders']);
    expect([first?.functionRef, second?.functionRef, inline?.functionRef]).toEqual(['orders', 'orders', null]);
    expect(inline?.function).toMatchObject({ functionName: 'inline' });
    expect(Object.keys(config.functions)).toEqual(['orders', 'remote']);
  });

  it('an unknown name is an error at the function: line, with a suggestion', () => {
    const broken = text.replace('    function: orders\n    source: { type: sqs, queueUrl: \'http://127.0.0.1:19324/000000000000/orders2', '    function: ordres\n    source: { type: sqs, queueUrl: \'http://127.0.0.1:19324/000000000000/orders2');
    const issues = issuesOf(broken);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: 'pipelines[1].function',
      message: 'unknown function "ordres" (did you mean "orders"?); functions: declares orders, remote',
      ...positionOf(broken, 'function: ordres'),
    });
  });

  it('without a functions: map, a name says so', () => {
    const issues = issuesOf(`pipelines:\n  - name: a\n    function: orders\n    ${SQS}\n`);
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['pipelines[0].function', 'unknown function "orders": there is no functions: map to declare it in (or define the function inline)'],
    ]);
  });

  it('reports mistakes inside an entry at their own field, and bad names and ranges', () => {
    const broken = `functions:
  orders:
    type: module
    handler: nodot
    reservedConcurrency: 1001
    description: "${'x'.repeat(257)}"
  "bad name":
    type: http
    url: http://127.0.0.1:9000
pipelines:
  - name: a
    function: "not a name"
    ${SQS}
`;
    const issues = issuesOf(broken);
    expectIssue(broken, issues, 'functions.orders.handler', 'must be file.export', 'handler: nodot');
    expectIssue(broken, issues, 'functions.orders.reservedConcurrency', 'must be between 0 and 1000 (got 1001)', 'reservedConcurrency');
    expectIssue(broken, issues, 'functions.orders.description', 'must be at most 256 characters', 'description');
    expect(issues.find((issue) => issue.path === 'functions["bad name"]')?.message).toBe(
      'function names must be 1–64 characters of [A-Za-z0-9_-] (got "bad name")',
    );
    // One issue for a reference that is not a name at all (no second "unknown function" for it).
    expect(issues.filter((issue) => issue.path === 'pipelines[0].function').map((issue) => issue.message)).toEqual([
      'must be the name of an entry of functions: (1–64 characters of [A-Za-z0-9_-]) (got "not a name")',
    ]);
  });

  it('a broken inline function still reports its own fields, not "no allowed form"', () => {
    const broken = `pipelines:\n  - name: a\n    function: { type: module, handler: nodot, bogus: 1 }\n    ${SQS}\n`;
    const issues = issuesOf(broken);
    expect(issues.map((issue) => issue.path).sort()).toEqual(['pipelines[0].function.bogus', 'pipelines[0].function.handler']);
    expect(issues.find((issue) => issue.path.endsWith('bogus'))?.message).toBe('unknown field');
  });

  it('library objects may declare in-process functions and refer to them', () => {
    const handler = async (): Promise<unknown> => ({});
    const config = resolveConfigObject(
      { functions: { orders: { type: 'in-process', handler, reservedConcurrency: 2 } }, pipelines: [{ name: 'a', function: 'orders', source: { type: 'sqs', queueUrl: 'http://127.0.0.1:19324/000000000000/q' } }] },
      { now: () => NOW_MS },
    );
    expect(config.pipelines[0]?.function).toMatchObject({ type: 'in-process', handler, functionName: 'orders', reservedConcurrency: 2 });
    expect(objectIssuesOf({ pipelines: [{ name: 'a', function: 'nope', source: { type: 'sqs', queueUrl: 'http://h:1/000000000000/q' } }] })[0]?.path).toBe(
      'pipelines[0].function',
    );
  });

  it('the JSON Schema offers functions: and a name or a definition for function:', () => {
    const schema = configJsonSchema();
    const properties = schema['properties'] as Record<string, Record<string, unknown>>;
    expect(properties['functions']?.['type']).toBe('object');
    const pipeline = ((properties['pipelines']?.['items'] as Record<string, unknown>)['properties'] as Record<string, Record<string, unknown>>)['function'];
    const forms = pipeline?.['anyOf'] as Record<string, unknown>[];
    expect(forms[0]).toMatchObject({ type: 'string' });
    expect(forms[1]?.['oneOf']).toHaveLength(3);
  });
});

describe('pipeline uuid', () => {
  it('defaults to UUIDv5 of the name: stable, distinct per name; a written one is kept (lower case)', () => {
    const config = parse(`pipelines:
  - name: a
    function: { type: module, handler: ./h.handler }
    ${SQS}
  - name: b
    uuid: 6B6C4A1E-1F1A-4C4E-9A39-0B7C1D5E6F10
    function: { type: module, handler: ./h.handler }
    ${SQS.replace('orders', 'orders2')}
`);
    expect(config.pipelines[0]?.uuid).toBe(pipelineUuid('a'));
    expect(pipelineUuid('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pipelineUuid('a')).not.toBe(pipelineUuid('b'));
    expect(config.pipelines[1]?.uuid).toBe('6b6c4a1e-1f1a-4c4e-9a39-0b7c1d5e6f10');
  });

  it('refuses a malformed uuid and a uuid another pipeline has (written or derived)', () => {
    const text = `pipelines:
  - name: a
    uuid: not-a-uuid
    function: { type: module, handler: ./h.handler }
    ${SQS}
  - name: b
    uuid: ${pipelineUuid('c')}
    function: { type: module, handler: ./h.handler }
    ${SQS.replace('orders', 'orders2')}
  - name: c
    function: { type: module, handler: ./h.handler }
    ${SQS.replace('orders', 'orders3')}
`;
    const issues = issuesOf(text);
    expectIssue(text, issues, 'pipelines[0].uuid', 'must be a UUID', 'uuid: not-a-uuid');
    expect(issues.find((issue) => issue.path === 'pipelines[1].uuid')?.message).toBe(`duplicate uuid "${pipelineUuid('c')}" (also the uuid of pipelines[2])`);
  });
});

describe('AWS-only parameters', () => {
  const text = `pipelines:
  - name: a
    function: { type: module, handler: ./h.handler }
    ${SQS}
    kmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    tags: { team: orders }
    metricsConfig: { metrics: [EventCount] }
    provisionedPollerConfig:
    loggingConfig: { systemLogLevel: WARN }
`;

  it('are accepted, ignored, and each given one is a located warning', () => {
    const config = parse(text);
    expect(config.warnings.map((warning) => [warning.path, warning.line, warning.column, warning.file])).toEqual([
      ['pipelines[0].kmsKeyArn', positionOf(text, 'kmsKeyArn').line, 5, 'pipelines.yaml'],
      ['pipelines[0].tags', positionOf(text, 'tags').line, 5, 'pipelines.yaml'],
      // metricsConfig and provisionedPollerConfig are real fields now (the latter blank: the same as absent).
      ['pipelines[0].loggingConfig', positionOf(text, 'loggingConfig').line, 5, 'pipelines.yaml'],
    ]);
    expect(config.warnings[0]?.message).toMatch(/^accepted and ignored: .*\(AWS KMSKeyArn\)$/);
    expect(config.pipelines[0]).not.toHaveProperty('kmsKeyArn');
    expect(config.pipelines[0]?.metricsConfig).toEqual({ metrics: ['EventCount'], hiddenGroups: [] });
  });

  it('a file without them has no warnings; an unknown field is still an error', () => {
    expect(parse(`pipelines:\n  - name: a\n    function: { type: module, handler: ./h.handler }\n    ${SQS}\n`).warnings).toEqual([]);
    expect(issuesOf(`${text}    kmsKeyId: x\n`).map((issue) => issue.message)).toEqual(['unknown field (did you mean "kmsKeyArn"?)']);
  });

  describe('tributary validate', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tributary-aws-only-'));
      await writeFile(join(dir, 'aws.yaml'), text);
      // validate also checks that the handler resolves (src/runner/handler-check).
      await writeFile(join(dir, 'h.mjs'), 'export const handler = async () => ({});\n');
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('prints the warnings on stderr and still exits 0', async () => {
      let out = '';
      let err = '';
      const code = await validateCommand(['-c', 'aws.yaml'], { stdout: (s) => (out += s), stderr: (s) => (err += s), env: {}, cwd: dir });
      expect(code).toBe(0);
      expect(out).toBe('aws.yaml: ok (1 pipeline)\n');
      const lines = err.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^warning: aws\.yaml:5:5 pipelines\[0\]\.kmsKeyArn: accepted and ignored: /);
    });
  });
});
