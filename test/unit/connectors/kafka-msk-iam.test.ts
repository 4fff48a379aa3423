/** MSK IAM: AWS's signer produces a presigned kafka-cluster:Connect token offline from static credentials. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mskIamSasl, mskIamToken, mskRegion } from '../../../src/connector/kafka-sasl.js';

const saved = { ...process.env };
beforeEach(() => {
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIAIOSFODNN7EXAMPLE';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  delete process.env['AWS_SESSION_TOKEN'];
  delete process.env['AWS_PROFILE'];
});
afterEach(() => {
  process.env = { ...saved };
});

describe('MSK IAM', () => {
  it('signs for the cluster ARN region, else the environment', () => {
    expect(mskRegion('arn:aws:kafka:eu-west-1:123456789012:cluster/demo/abc', {})).toBe('eu-west-1');
    expect(mskRegion(null, { AWS_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(mskRegion(null, {})).toBe('us-east-1');
  });

  it('produces a presigned kafka-cluster:Connect token, and the kafkajs provider returns it', async () => {
    const { value } = await mskIamToken('eu-west-1');
    const url = Buffer.from(value, 'base64url').toString('utf8');
    expect(url).toMatch(/^https:\/\/kafka\.eu-west-1\.amazonaws\.com\/\?/);
    expect(url).toContain('Action=kafka-cluster%3AConnect');
    expect(url).toContain('X-Amz-Credential=AKIAIOSFODNN7EXAMPLE');
    expect(url).not.toContain('wJalrXUtnFEMI');
    const sasl = mskIamSasl('arn:aws:kafka:eu-west-1:123456789012:cluster/demo/abc');
    if (sasl.mechanism !== 'oauthbearer') throw new Error('expected oauthbearer');
    const provided = await sasl.oauthBearerProvider();
    expect(Buffer.from(provided.value, 'base64url').toString('utf8')).toContain('kafka.eu-west-1.amazonaws.com');
  });
});
