/** SecretJson and the Kafka SASL setup from a Secrets Manager secret: fetch once, fetch again on demand, never leak the value. */
import { describe, expect, it } from 'vitest';
import { kafkaSaslSetup } from '../../../src/connector/kafka-sasl.js';
import { authenticatedConnect } from '../../../src/connector/secret-connect.js';
import { SecretJson } from '../../../src/connector/secret-json.js';
import { silentLogger } from '../../../src/observability/logger.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kafka-AbCdEf';
const signal = (): AbortSignal => AbortSignal.timeout(5_000);

/** A fetcher answering with the current value of `store.value`, counting calls. */
function store(value: string): { value: string; calls: number; fetch: (arn: string) => Promise<string> } {
  const s = { value, calls: 0, fetch: (arn: string) => (arn === ARN ? (s.calls++, Promise.resolve(s.value)) : Promise.reject(new Error('unknown secret'))) };
  return s;
}

describe('SecretJson', () => {
  it('fetches once for concurrent callers, again on refresh, and tells whether the value changed', async () => {
    const secrets = store('{"username":"u","password":"p1"}');
    const secret = new SecretJson(ARN, secrets.fetch);
    await Promise.all([secret.resolve(signal()), secret.resolve(signal())]);
    expect(secrets.calls).toBe(1);
    expect(secret.field('password')).toBe('p1');
    expect(await secret.refresh(signal())).toBe(false);
    secrets.value = '{"username":"u","password":"p2"}';
    expect(await secret.refresh(signal())).toBe(true);
    expect(secret.field('password')).toBe('p2');
    expect(secrets.calls).toBe(3);
  });

  it('describes a malformed secret by its keys, never its contents', async () => {
    const notJson = new SecretJson(ARN, store('hunter2').fetch);
    await expect(notJson.resolve(signal())).rejects.toThrow(`Secrets Manager secret ${ARN} is not a JSON object`);
    const noPassword = new SecretJson(ARN, store('{"username":"u","pw":"hunter2"}').fetch);
    await noPassword.resolve(signal());
    expect(() => noPassword.field('password')).toThrow(`has no "password" (it has: username, pw)`);
    expect(() => noPassword.field('password')).not.toThrow(/hunter2/);
  });
});

describe('Kafka SASL from a secret', () => {
  it('the kafkajs options read username and password from the secret at each authentication', async () => {
    const secrets = store('{"username":"alice","password":"one"}');
    const { sasl, secret } = kafkaSaslSetup({ clusterArn: null, sasl: { mechanism: 'scram-sha-512', username: null, password: null, secretArn: ARN } }, secrets.fetch);
    expect(secret?.secretArn).toBe(ARN);
    await secret?.resolve(signal());
    expect(sasl).toMatchObject({ mechanism: 'scram-sha-512', username: 'alice', password: 'one' });
    secrets.value = '{"username":"alice","password":"two"}';
    await secret?.refresh(signal());
    expect((sasl as { password: string }).password).toBe('two');
  });

  it('connects again once after a refusal when the secret changed, not when it did not', async () => {
    const secrets = store('{"username":"a","password":"old"}');
    const secret = new SecretJson(ARN, secrets.fetch);
    const refused = new Error('SASL refused');
    const connect = authenticatedConnect(secret, silentLogger(), (e) => e === refused);
    const seen: string[] = [];
    const attempt = (): Promise<void> => {
      seen.push(secret.field('password'));
      return secret.field('password') === 'new' ? Promise.resolve() : Promise.reject(refused);
    };
    await expect(connect(attempt, signal())).rejects.toBe(refused);
    expect(seen).toEqual(['old']);
    secrets.value = '{"username":"a","password":"new"}';
    await connect(attempt, signal());
    expect(seen).toEqual(['old', 'old', 'new']);
  });
});
