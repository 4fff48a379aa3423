/** `server.host` must be a host name or an IP literal that `listen()` accepts (issue 19: validate took any string). */
import { describe, expect, it } from 'vitest';
import { isHostOrIp } from '../../../src/config/host-name.js';
import { issuesOf, parse } from './helpers.js';

const file = (host: string): string => `server: { host: ${JSON.stringify(host)} }
pipelines:
  - name: orders
    source: { type: sqs, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' }
    function: { type: module, handler: ./handlers/orders.handler }
`;

describe('server.host', () => {
  it.each(['127.0.0.1', '0.0.0.0', '::', '::1', 'fe80::1', '::ffff:127.0.0.1', 'localhost', 'tributary-0.tributary.default.svc.cluster.local', 'host.docker.internal', 'example.com.'])(
    'accepts %s',
    (host) => {
      expect(isHostOrIp(host)).toBe(true);
      expect(parse(file(host)).server.host).toBe(host);
    },
  );

  it.each(['🐟', 'a\u0000b', 'my host', '[::1]', '-bad.example', 'bad-.example', 'a..b', 'x'.repeat(64), `${'a.'.repeat(127)}ab`, '127.0.0.1:9400', '256.1.1.1', '1.2.3', 'http://localhost', 'under_score'])(
    'refuses %j',
    (host) => {
      expect(isHostOrIp(host)).toBe(false);
      const issues = issuesOf(file(host));
      expect(issues).toEqual([expect.objectContaining({ path: 'server.host', line: 1, column: 11, message: expect.stringContaining('must be a host name or an IP address') as unknown })]);
    },
  );

  it('a blank host is the default', () => {
    expect(parse(file('')).server.host).toBe('127.0.0.1');
  });
});
