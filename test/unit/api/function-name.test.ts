import { describe, expect, it } from 'vitest';
import { refusal } from './refusal.js';
import { functionArn, parseFunctionName, requireLatest } from '../../../src/api/function-name.js';

const identity = { region: 'us-east-1', accountId: '123456789012' };


describe('parseFunctionName', () => {
  it.each([
    ['orders', null, { name: 'orders', qualifier: null }],
    ['orders:prod', null, { name: 'orders', qualifier: 'prod' }],
    ['orders', '$LATEST', { name: 'orders', qualifier: '$LATEST' }],
    ['123456789012:function:orders', null, { name: 'orders', qualifier: null }],
    ['arn:aws:lambda:us-east-1:123456789012:function:orders', null, { name: 'orders', qualifier: null }],
    ['arn:aws:lambda:us-east-1:123456789012:function:orders:7', '7', { name: 'orders', qualifier: '7' }],
    ['arn:aws:lambda:us-east-1:123456789012:function:my.fn_1-a:$LATEST', null, { name: 'my.fn_1-a', qualifier: '$LATEST' }],
  ])('%s with Qualifier %s', (name, qualifier, expected) => {
    expect(parseFunctionName(name, qualifier, identity)).toEqual(expected);
  });

  it("refuses names and qualifiers outside the model's patterns with a ValidationException naming the member", () => {
    const bad = refusal(() => parseFunctionName('bad name', 'ok', identity));
    expect(bad.type).toBe('ValidationException');
    expect(bad.message).toMatch(/^1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
    const both = refusal(() => parseFunctionName('x'.repeat(257), 'a b', identity));
    expect(both.message).toMatch(/^2 validation errors detected: .*'functionName'.*; Value 'a b' at 'qualifier'/);
  });

  it('refuses a qualifier that contradicts the name, another region and another account', () => {
    expect(refusal(() => parseFunctionName('orders:prod', 'dev', identity))).toEqual({
      type: 'InvalidParameterValueException',
      message: 'The derived qualifier from the function name does not match the specified qualifier.',
    });
    expect(refusal(() => parseFunctionName('arn:aws:lambda:eu-west-1:123456789012:function:orders', null, identity))).toEqual({
      type: 'ResourceNotFoundException',
      message: "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
    });
    expect(refusal(() => parseFunctionName('999999999999:function:orders:7', null, identity))).toEqual({
      type: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:999999999999:function:orders:7',
    });
  });

  it('only $LATEST exists', () => {
    expect(() => requireLatest({ name: 'orders', qualifier: null }, identity)).not.toThrow();
    expect(() => requireLatest({ name: 'orders', qualifier: '$LATEST' }, identity)).not.toThrow();
    expect(refusal(() => requireLatest({ name: 'orders', qualifier: 'prod' }, identity)).message).toBe(`Function not found: ${functionArn(identity, 'orders', 'prod')}`);
  });
});
