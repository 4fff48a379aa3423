import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCommand } from '../../../src/cli/commands/import.js';
import type { CliIo } from '../../../src/cli/io.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'import');

function capture(cwd: string, env: Record<string, string> = {}): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd }, out: () => out, err: () => err };
}

const QUEUE_TEMPLATE = `Resources:
  Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: nodejs20.x, Handler: h.handler, Code: ./src } }
  Q: { Type: AWS::SQS::Queue, Properties: { QueueName: q } }
  M: { Type: AWS::Lambda::EventSourceMapping, Properties: { EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref Fn, BatchSize: !Ref Size } }
Parameters:
  Size: { Type: Number, Default: 5 }
`;

describe('tributary import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-import-cli-'));
  writeFileSync(join(dir, 'app.yaml'), QUEUE_TEMPLATE);

  it('prints the file on stdout with paths relative to the working folder; notes and a summary on stderr', async () => {
    const c = capture(dir);
    expect(await importCommand(['app.yaml'], c.io)).toBe(0);
    expect(c.out()).toContain('handler: ./src/h.handler');
    expect(c.out()).toContain('batchSize: 5 # BatchSize (app.yaml:4)');
    expect(c.err()).toBe('stdout: 1 pipeline, 1 function; 0 notes\n');
  });

  it('-o writes the file (and refuses to overwrite it without --force); -p sets parameters; --region and --account-id are the pseudo parameters', async () => {
    const first = capture(dir);
    expect(await importCommand(['app.yaml', '-o', 'out/p.yaml', '-p', 'Size=7', '--region', 'eu-west-1', '--account-id', '123456789012'], first.io)).toBe(0);
    const written = readFileSync(join(dir, 'out/p.yaml'), 'utf8');
    expect(written).toContain('queueArn: arn:aws:sqs:eu-west-1:123456789012:q');
    expect(written).toContain('batchSize: 7');
    expect(written).toContain('handler: ../src/h.handler');
    const again = capture(dir);
    expect(await importCommand(['app.yaml', '-o', 'out/p.yaml'], again.io)).toBe(2);
    expect(again.err()).toBe('out/p.yaml exists; pass --force to overwrite it\n');
    expect(await importCommand(['app.yaml', '-o', 'out/p.yaml', '--force', '-p', 'Size=8'], capture(dir).io)).toBe(0);
    expect(readFileSync(join(dir, 'out/p.yaml'), 'utf8')).toContain('batchSize: 8');
  });

  it('an output that does not validate is written, and its problems reported at the template lines; exit 2', async () => {
    const c = capture(dir);
    expect(await importCommand(['app.yaml', '-o', 'bad.yaml', '-p', 'Size=20000'], c.io)).toBe(2);
    expect(existsSync(join(dir, 'bad.yaml'))).toBe(true);
    const column = (QUEUE_TEMPLATE.split('\n')[3] ?? '').indexOf('BatchSize') + 1;
    expect(c.err()).toContain(`bad.yaml does not validate:\napp.yaml:4:${column} pipelines[0].batchSize: must be between 1 and 10000 (got 20000)\n`);
  });

  it('a CDK cloud assembly folder: every template, stack names from manifest.json', async () => {
    const c = capture(FIXTURES);
    expect(await importCommand(['cdk/cdk.out'], c.io)).toBe(0);
    expect(c.out()).toContain('import-cdk-stack-OrdersQueue1F2B8A43');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = capture(dir);
    expect(await importCommand(['empty'], none.io)).toBe(2);
    expect(none.err()).toBe('empty: no *.template.json in this folder\n');
  });

  it('usage errors: no template, a bad --parameter, --stack-name with several templates, a bad account id, an unreadable file', async () => {
    const cases: [string[], string][] = [
      [[], 'missing TEMPLATE'],
      [['app.yaml', '-p', 'novalue'], '--parameter novalue: expected KEY=VALUE'],
      [['app.yaml', 'app.yaml', '--stack-name', 's'], '--stack-name needs exactly one template'],
      [['app.yaml', '--account-id', '12'], '--account-id must be 12 digits'],
      [['missing.yaml'], 'ENOENT'],
      [['app.yaml', '--bogus'], "Unknown option '--bogus'"],
    ];
    for (const [args, message] of cases) {
      const c = capture(dir);
      expect(await importCommand(args, c.io), args.join(' ')).toBe(2);
      expect(c.err()).toContain(message);
    }
    const help = capture(dir);
    expect(await importCommand(['--help'], help.io)).toBe(0);
    expect(help.out()).toContain('Usage: tributary import [options] TEMPLATE...');
  });

  it('a template that is not one is refused with its position', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'Resources:\n  A: [\n');
    const c = capture(dir);
    expect(await importCommand(['broken.yaml'], c.io)).toBe(2);
    expect(c.err()).toMatch(/^broken\.yaml:\d+:\d+ invalid YAML/);
  });
});
