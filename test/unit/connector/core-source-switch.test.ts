/**
 * DESIGN §3.1: the core never switches on `source.type`. A static check over the parts of the core that used to
 * (the lane engine, config rules and resolution, the ESM API, the control plane, the CloudFormation import): no comparison of a source type
 * with one of the four types' names and no `case` on one. They read the source's descriptor instead
 * (src/connector/source-descriptor.ts: traits, rules, identity, esm). Destination kinds (`ref.kind === 'sqs'`) and
 * the internal async-invocation queue are not source types and are not matched.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHECKED = ['src/pipeline', 'src/config/rules', 'src/config/resolve.ts', 'src/config/resolve-esm-knobs.ts', 'src/config/resolve-source.ts', 'src/api', 'src/control', 'src/import'];
const TYPES = "'(?:sqs|kinesis|dynamodb-streams|kafka)'";
const SWITCH = new RegExp(`(?:type|sourceType)\\s*[!=]==\\s*${TYPES}|${TYPES}\\s*[!=]==\\s*[\\w.]*(?:type|sourceType)\\b|case\\s+${TYPES}\\s*:`);

function files(path: string): string[] {
  const absolute = join(ROOT, path);
  if (!statSync(absolute).isDirectory()) return [absolute];
  return readdirSync(absolute).flatMap((name) => files(join(path, name))).filter((file) => file.endsWith('.ts'));
}

/** `file:line: text` of every line that compares or switches on a source type. */
export function sourceSwitches(text: string, file: string): string[] {
  return text.split('\n').flatMap((line, index) => (SWITCH.test(line) && !/\bref\.kind\b/.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : []));
}

describe('the core never switches on source.type', () => {
  it('finds no comparison with a source type name in the engine, config rules and resolution, the ESM API, the control plane or the import', () => {
    const found = CHECKED.flatMap((path) => files(path)).flatMap((file) => sourceSwitches(readFileSync(file, 'utf8'), relative(ROOT, file)));
    expect(found).toEqual([]);
  });

  it('would find one: the shapes the check looks for', () => {
    expect(sourceSwitches("if (source.type === 'kafka') x();", 'a.ts')).toHaveLength(1);
    expect(sourceSwitches("  if (view.sourceType !== 'sqs') return;", 'a.ts')).toHaveLength(1);
    expect(sourceSwitches("    case 'dynamodb-streams':", 'a.ts')).toHaveLength(1);
    expect(sourceSwitches("if (parsed.ref.kind === 'sqs' && parsed.ref.fifo) {", 'a.ts')).toEqual([]);
    expect(sourceSwitches("return queue.type === 'embedded';", 'a.ts')).toEqual([]);
  });
});
