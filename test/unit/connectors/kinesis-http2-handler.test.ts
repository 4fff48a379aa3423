// The SubscribeToShard HTTP/2 handler (connectors/kinesis/http2-handler.ts) against a real node:http2 server: the
// session of an event stream sends its GOAWAY only once its stream has ended, and the SDK internals the hook relies
// on are still there. (The emulator bug the hook avoids is reproduced against kinesis-local in
// test/integration/kinesis-fanout.test.ts.)
import { once } from 'node:events';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAfterStreams, eventStreamHttp2Handler } from '../../../connectors/kinesis/http2-handler.js';

let server: http2.Http2Server | null = null;
afterEach(async () => {
  if (server !== null) await new Promise((resolve) => server?.close(resolve));
  server = null;
});

describe('eventStreamHttp2Handler', () => {
  it('hooks the SDK handler it builds (the connection manager internals are where it expects them)', () => {
    expect(() => eventStreamHttp2Handler({ requestTimeout: 1_000 })).not.toThrow();
  });

  it('defers a session close (GOAWAY) until its open stream has closed', async () => {
    const goaways: string[] = [];
    let goawaysBeforeProbe: number | null = null;
    server = http2.createServer();
    server.on('session', (session) => session.on('goaway', () => goaways.push('goaway')));
    server.on('stream', (stream) => {
      stream.respond({ ':status': 200 });
      stream.write('first');
      // Frames arrive in the order the client sent them: a GOAWAY sent by close() would be seen before this data.
      stream.once('data', () => {
        goawaysBeforeProbe = goaways.length;
        stream.end('second');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const session = http2.connect(`http://127.0.0.1:${port}`);
    closeAfterStreams(session);
    const stream = session.request({ ':path': '/', ':method': 'POST' }, { endStream: false });
    const chunks: string[] = [];
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => chunks.push(chunk));
    await once(stream, 'response');
    session.close(); // what NodeHttp2Handler does as soon as an event stream's response starts
    expect(session.closed).toBe(false);
    stream.end('probe');
    await once(stream, 'close');
    await once(session, 'close');
    expect(goawaysBeforeProbe).toBe(0);
    expect(chunks.join('')).toBe('firstsecond');
  });
});
