import { describe, expect, it } from 'vitest';
import { resolveConfigObject } from '../../../src/config/index.js';
import { configWithServerEnv, readServerEnv } from '../../../src/cli/server-env.js';
import { ConfigError } from '../../../src/errors.js';

const config = resolveConfigObject(
  {
    server: { host: '127.0.0.1', port: 9400 },
    pipelines: [{ name: 'orders', source: { type: 'sqs', queueUrl: 'http://127.0.0.1:1/000000000000/q' }, function: { type: 'http', url: 'http://127.0.0.1:2/' } }],
  },
  { baseDir: '/tmp' },
);

describe('TRIBUTARY_SERVER_HOST / TRIBUTARY_SERVER_PORT', () => {
  it('leave the file alone when unset or empty', () => {
    expect(configWithServerEnv(config, {})).toBe(config);
    expect(configWithServerEnv(config, { TRIBUTARY_SERVER_HOST: '', TRIBUTARY_SERVER_PORT: ' ' })).toBe(config);
  });

  it("override the file's server address, as the container image needs (0.0.0.0)", () => {
    const changed = configWithServerEnv(config, { TRIBUTARY_SERVER_HOST: '0.0.0.0', TRIBUTARY_SERVER_PORT: '9500' });
    expect(changed.server).toEqual({ enabled: true, host: '0.0.0.0', port: 9500 });
    expect(Object.isFrozen(changed.server)).toBe(true);
    expect(config.server.host).toBe('127.0.0.1');
    expect(configWithServerEnv(config, { TRIBUTARY_SERVER_HOST: '::' }).server.host).toBe('::');
    expect(configWithServerEnv(config, { TRIBUTARY_SERVER_HOST: 'tributary.internal' }).server.host).toBe('tributary.internal');
  });

  it('refuse an invalid value, naming the variable, both problems at once', () => {
    const read = readServerEnv({ TRIBUTARY_SERVER_HOST: 'http://0.0.0.0', TRIBUTARY_SERVER_PORT: '70000' });
    expect(read.ok).toBe(false);
    expect(() => configWithServerEnv(config, { TRIBUTARY_SERVER_HOST: 'a b', TRIBUTARY_SERVER_PORT: '9.5' })).toThrow(ConfigError);
    try {
      configWithServerEnv(config, { TRIBUTARY_SERVER_HOST: 'a b', TRIBUTARY_SERVER_PORT: '9.5' });
    } catch (error) {
      expect((error as ConfigError).message).toBe(
        'TRIBUTARY_SERVER_HOST: must be a host name or an IP address such as 0.0.0.0 or 127.0.0.1 (got "a b")\nTRIBUTARY_SERVER_PORT: must be an integer between 1 and 65535 (got "9.5")',
      );
    }
  });
});
