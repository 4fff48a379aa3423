/**
 * The HTTP/2 request handler for SubscribeToShard: AWS SDK v3's own `NodeHttp2Handler`, with one change — the
 * session the SDK opens for an event stream sends its GOAWAY when that stream has ended, not as soon as the response
 * headers arrive.
 *
 * Why: the stock handler closes an event stream's private session (`session.close()`, a graceful GOAWAY) the moment
 * the response starts, letting the stream run on. kinesis-mock (kinesis-local, and LocalStack's Kinesis) is served by
 * http4s Ember, whose H2Connection answers a GOAWAY with a PING ACK nobody asked for
 * (ember-core `H2Connection.scala`, `case GoAway(0, …) => … outgoing.offer(Ping.ack)`); Node's HTTP/2 treats an
 * unsolicited PING ACK as a connection error (node `src/node_http2.cc` `Http2Session::HandlePingFrame`:
 * "PING Ack is unsolicited. Treat as a connection error"), so every subscription died at once with
 * `ERR_HTTP2_ERROR: Protocol error` — on the TLS port and the plain (h2c) port alike. Closing the session after its
 * only stream is what the SDK intends anyway (nothing else is ever sent on it), so against AWS nothing changes.
 *
 * The hook reaches one non-public member of the handler (its connection manager's `createIsolatedSession`); it is
 * checked when the handler is built, so an SDK that changed it fails loudly here (and in the unit test), never by
 * silently losing subscriptions.
 */
import type { ClientHttp2Session, ClientHttp2Stream } from 'node:http2';
import { NodeHttp2Handler, type NodeHttp2HandlerOptions } from '@smithy/node-http-handler';
import { TributaryError } from '../../src/errors.js';

interface SessionRef {
  deref(): ClientHttp2Session;
}

interface IsolatedSessions {
  createIsolatedSession(context: unknown, configuration: unknown): SessionRef;
}

function isIsolatedSessions(value: unknown): value is IsolatedSessions {
  return typeof value === 'object' && value !== null && typeof (value as { createIsolatedSession?: unknown }).createIsolatedSession === 'function';
}

/** A NodeHttp2Handler whose event-stream sessions close once their stream has ended. */
export function eventStreamHttp2Handler(options: NodeHttp2HandlerOptions): NodeHttp2Handler {
  const handler = new NodeHttp2Handler(options);
  const manager: unknown = (handler as unknown as { connectionManager?: unknown }).connectionManager;
  if (!isIsolatedSessions(manager)) {
    throw new TributaryError('INTERNAL', '@smithy/node-http-handler changed: NodeHttp2Handler has no connectionManager.createIsolatedSession to hook');
  }
  const create = manager.createIsolatedSession.bind(manager);
  manager.createIsolatedSession = (context, configuration) => {
    const ref = create(context, configuration);
    closeAfterStreams(ref.deref());
    return ref;
  };
  return handler;
}

/** Makes `session.close()` wait until every stream opened on the session has closed. */
export function closeAfterStreams(session: ClientHttp2Session): void {
  const request = session.request.bind(session);
  const close = session.close.bind(session);
  let open = 0;
  let closeRequested = false;
  session.request = ((...args: Parameters<ClientHttp2Session['request']>): ClientHttp2Stream => {
    const stream = request(...args);
    open += 1;
    stream.once('close', () => {
      open -= 1;
      if (closeRequested && open === 0 && !session.closed && !session.destroyed) close();
    });
    return stream;
  }) as ClientHttp2Session['request'];
  session.close = (callback?: () => void): void => {
    if (open === 0) {
      close(callback);
      return;
    }
    closeRequested = true;
    if (callback !== undefined) session.once('close', callback);
  };
}
