/**
 * A forwarding HTTP proxy in front of kinesis-local that counts GetRecords calls per shard, so the lane-scale
 * workload can check Lambda's idle polling rate (once a second per shard) through the public `endpoint` option,
 * without touching Tributary. It forwards every request unchanged; it does not answer any Kinesis call itself.
 *
 * A GetRecords request names only an opaque iterator, so shards are followed along the iterator chain:
 * GetShardIterator's request names the shard and its response the first iterator; each GetRecords response's
 * NextShardIterator continues the chain. `GET /__bench/counts` returns the counts as JSON.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

export interface ProxyCounts {
  /** GetRecords calls per shard id. */
  readonly getRecords: Record<string, number>;
  /** Every call by X-Amz-Target operation. */
  readonly operations: Record<string, number>;
}

const COUNTS_PATH = '/__bench/counts';

async function body(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parse(buffer: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(buffer.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface CountingProxy {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startCountingProxy(target: string, port: number): Promise<CountingProxy> {
  const upstream = new URL(target);
  const shardOfIterator = new Map<string, string>();
  const getRecords: Record<string, number> = {};
  const operations: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === COUNTS_PATH) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ getRecords, operations } satisfies ProxyCounts));
        return;
      }
      const requestBody = await body(req);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      operations[operation] = (operations[operation] ?? 0) + 1;
      const sent = parse(requestBody);
      let shard: string | undefined;
      if (operation === 'GetShardIterator') shard = typeof sent['ShardId'] === 'string' ? sent['ShardId'] : undefined;
      if (operation === 'GetRecords' && typeof sent['ShardIterator'] === 'string') {
        shard = shardOfIterator.get(sent['ShardIterator']);
        shardOfIterator.delete(sent['ShardIterator']);
        const key = shard ?? '(unknown iterator)';
        getRecords[key] = (getRecords[key] ?? 0) + 1;
      }
      const forwarded = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (upstreamRes) => {
          void body(upstreamRes).then((responseBody) => {
            if (shard !== undefined) {
              const answer = parse(responseBody);
              const next = operation === 'GetShardIterator' ? answer['ShardIterator'] : answer['NextShardIterator'];
              if (typeof next === 'string') shardOfIterator.set(next, shard);
            }
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers).end(responseBody);
          });
        },
      );
      forwarded.on('error', (error) => res.writeHead(502).end(String(error)));
      forwarded.end(requestBody);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Reads the proxy's counts (from a contender's child process). */
export async function readCounts(proxyUrl: string): Promise<ProxyCounts> {
  const response = await fetch(`${proxyUrl}${COUNTS_PATH}`);
  return (await response.json()) as ProxyCounts;
}
