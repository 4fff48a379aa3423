/**
 * Structural mutations of a configuration document (the `yaml` library's node API): delete, duplicate,
 * rename and retype keys, random scalars, anchors and aliases (cycles included), deeper nesting, more
 * pipelines, other source and function types — and secrets planted in every field that may hold one,
 * written as numbers, booleans or strings, which no output may echo.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { randomKey, randomText, randomValue, type Rng } from './random.ts';

/** A slot of the tree: a pair of a mapping or an item of a list. */
interface Slot {
  readonly parent: YAMLMap | YAMLSeq;
  readonly index: number;
  readonly key: string | null;
}

/** A document being mutated, with the secrets planted in it. */
export interface Mutable {
  readonly doc: Document;
  readonly secrets: string[];
  readonly ops: string[];
}

export function mutable(text: string): Mutable {
  return { doc: parseDocument(text, { uniqueKeys: false }), secrets: [], ops: [] };
}

function slots(doc: Document): Slot[] {
  const out: Slot[] = [];
  visit(doc, {
    Map: (_key, map) => {
      map.items.forEach((pair, index) => out.push({ parent: map, index, key: isScalar(pair.key) ? String(pair.key.value) : null }));
    },
    Seq: (_key, seq) => {
      seq.items.forEach((_item, index) => out.push({ parent: seq, index, key: null }));
    },
  });
  return out;
}

function valueOf(slot: Slot): unknown {
  const item: unknown = slot.parent.items[slot.index];
  return isPair(item) ? item.value : item;
}

function setValue(slot: Slot, value: unknown): void {
  const item: unknown = slot.parent.items[slot.index];
  if (isPair(item)) item.value = value as Node;
  else (slot.parent.items as unknown[])[slot.index] = value;
}

/** The subtree holds a planted secret (copies included): it must not move into another field. */
function holdsSecret(m: Mutable, node: unknown): boolean {
  const isPlanted = (value: unknown): boolean => m.secrets.some((secret) => String(value).includes(secret));
  if (isScalar(node)) return isPlanted(node.value);
  let found = false;
  if (isMap(node) || isSeq(node) || isPair(node)) {
    visit(node as Node, {
      Scalar: (_key, scalar) => {
        if (isPlanted(scalar.value)) found = true;
      },
    });
  }
  return found;
}

function secretNumber(r: Rng): string {
  return `80085${r.int(1000, 9999)}${r.int(100, 999)}`;
}

function secretString(r: Rng): string {
  return `S3cr3t-${r.int(100_000, 999_999).toString(36)}-${r.int(100_000, 999_999).toString(36)}`;
}

/** A planted secret scalar: a number, a boolean-looking string quoted, or a string. */
function plant(m: Mutable, r: Rng): Node {
  const kind = r.int(0, 2);
  const text = kind === 2 ? secretString(r) : secretNumber(r);
  m.secrets.push(text);
  return m.doc.createNode(kind === 0 ? Number(text) : text) as Node;
}

function pipelineMaps(m: Mutable): YAMLMap[] {
  const pipelines = m.doc.get('pipelines', true);
  return isSeq(pipelines) ? pipelines.items.filter((item): item is YAMLMap => isMap(item)) : [];
}

function mapAt(map: YAMLMap, key: string): YAMLMap | null {
  const value = map.get(key, true);
  return isMap(value) ? value : null;
}

/** Plant secrets where Tributary must never echo them. */
export function plantSecrets(m: Mutable, r: Rng): void {
  for (const pipeline of pipelineMaps(m)) {
    const source = mapAt(pipeline, 'source');
    const fn = mapAt(pipeline, 'function');
    switch (r.int(0, 5)) {
      case 0:
        source?.set('sasl', m.doc.createNode({ mechanism: r.pick(['plain', 'scram-sha-512', 'aws-iam', 'nope']) }));
        mapAt(source ?? pipeline, 'sasl')?.set('username', plant(m, r));
        mapAt(source ?? pipeline, 'sasl')?.set('password', plant(m, r));
        break;
      case 1:
        if (fn !== null) {
          fn.set('type', 'http');
          fn.delete('handler');
          fn.set('url', 'http://127.0.0.1:9000');
          const headers = m.doc.createNode({}) as YAMLMap;
          headers.set('Authorization', plant(m, r));
          headers.set('X-Trace', plant(m, r));
          fn.set('headers', headers);
        }
        break;
      case 2: {
        const env = m.doc.createNode({}) as YAMLMap;
        env.set('DB_URL', plant(m, r));
        env.set('FLAG', plant(m, r));
        fn?.set('environment', env);
        break;
      }
      case 3:
        pipeline.set(r.pick(['apiToken', 'clientSecret', 'privateKey', 'X-Api-Key']), plant(m, r));
        break;
      case 4: {
        // A password inside a URL: masked wherever the URL is shown.
        const secret = secretString(r);
        m.secrets.push(secret);
        const url = `${r.pick(['http', 'https', 'ftp'])}://user:${secret}@127.0.0.1:${r.int(1, 65_535)}/${r.pick(['', 'x', '000000000000/q'])}`;
        if (r.chance(0.5)) source?.set(r.pick(['endpoint', 'queueUrl']), url);
        else pipeline.set('destinationConfig', m.doc.createNode({ onFailure: { destination: url } }));
        break;
      }
      default:
        pipeline.set(r.pick(['batchSize', 'maximumRetryAttempts', 'startingPosition']), r.pick(['${FUZZ_SECRET_TOKEN}', '${FUZZ_PASSWORD}', 'x${FUZZ_SECRET_TOKEN}']));
    }
    m.ops.push('plant-secrets');
  }
}

type Mutation = (m: Mutable, r: Rng, slot: Slot) => string | null;

const MUTATIONS: Readonly<Record<string, Mutation>> = {
  delete: (_m, _r, slot) => {
    slot.parent.items.splice(slot.index, 1);
    return `delete ${slot.key ?? `[${slot.index}]`}`;
  },
  duplicate: (m, _r, slot) => {
    const item: unknown = slot.parent.items[slot.index];
    const copy = isPair(item) ? m.doc.createPair(item.key, (item.value as Node | null)?.clone?.() ?? null) : (item as Node | null)?.clone?.();
    (slot.parent.items as unknown[]).splice(slot.index + 1, 0, copy ?? null);
    return `duplicate ${slot.key ?? `[${slot.index}]`}`;
  },
  rename: (m, r, slot) => {
    const item: unknown = slot.parent.items[slot.index];
    if (!isPair(item) || holdsSecret(m, item)) return null;
    const key = randomKey(r);
    (item as Pair).key = m.doc.createNode(key);
    return `rename ${slot.key ?? '?'} → ${JSON.stringify(key).slice(0, 40)}`;
  },
  retype: (m, r, slot) => {
    setValue(slot, m.doc.createNode(randomValue(r)));
    return `retype ${slot.key ?? `[${slot.index}]`}`;
  },
  scalar: (m, r, slot) => {
    if (!isScalar(valueOf(slot))) return null;
    setValue(slot, m.doc.createNode(r.chance(0.3) ? r.int(-5, 100_000) : randomText(r)));
    return `scalar ${slot.key ?? `[${slot.index}]`}`;
  },
  alias: (m, r, slot) => {
    const all = slots(m.doc);
    const target = valueOf(r.pick(all));
    if (!(isMap(target) || isSeq(target) || isScalar(target)) || holdsSecret(m, target)) return null;
    setValue(slot, m.doc.createAlias(target, `a${r.int(0, 99)}`));
    return `alias ${slot.key ?? `[${slot.index}]`}`;
  },
  cycle: (m, _r, slot) => {
    const parent = slot.parent;
    if (holdsSecret(m, parent)) return null;
    setValue(slot, m.doc.createAlias(parent, 'loop'));
    return `cycle at ${slot.key ?? `[${slot.index}]`}`;
  },
  deepen: (m, r, slot) => {
    let value: unknown = valueOf(slot);
    const levels = r.int(1, 60);
    for (let i = 0; i < levels; i += 1) {
      const wrapper = m.doc.createNode(r.chance(0.5) ? [] : {}) as YAMLMap | YAMLSeq;
      if (isSeq(wrapper)) wrapper.items.push(value);
      else wrapper.set('x', value);
      value = wrapper;
    }
    setValue(slot, value);
    return `deepen ${slot.key ?? `[${slot.index}]`} by ${levels}`;
  },
  type: (m, r, slot) => {
    if (slot.key !== 'type') return null;
    setValue(slot, m.doc.createNode(r.pick(['sqs', 'kinesis', 'dynamodb-streams', 'kafka', 'module', 'http', 'lambda', 'in-process', 'dynamodb', 'file', 'SQS'])));
    return 'change a type';
  },
  pipelines: (m, r) => {
    const pipelines = m.doc.get('pipelines', true);
    if (!isSeq(pipelines) || pipelines.items.length === 0 || holdsSecret(m, pipelines)) return null;
    const count = r.int(1, 40);
    const first = pipelines.items[0];
    if (!isMap(first)) return null;
    for (let i = 0; i < count; i += 1) pipelines.items.push(r.chance(0.5) ? m.doc.createAlias(first, 'p') : first.clone());
    return `add ${count} pipelines`;
  },
};

/** Apply `count` random structural mutations. */
export function mutateStructure(m: Mutable, r: Rng, count: number): void {
  const names = Object.keys(MUTATIONS);
  for (let i = 0; i < count; i += 1) {
    const all = slots(m.doc);
    if (all.length === 0) return;
    const name = r.pick(names);
    const op = MUTATIONS[name]?.(m, r, r.pick(all)) ?? null;
    if (op !== null) m.ops.push(op);
  }
}

/**
 * The mutated text. The `yaml` stringifier writes anchors and aliases, cycles included, and — without the
 * order check — an alias before its anchor or whose anchor was deleted (an unresolved alias, a case too).
 */
export function render(m: Mutable): string {
  return m.doc.toString({ lineWidth: 0, verifyAliasOrder: false });
}
