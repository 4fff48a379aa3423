import { describe, expect, it } from 'vitest';
import { NO_VALUE } from '../../../src/import/intrinsics.js';
import { parseTemplate } from '../../../src/import/template.js';
import { evaluated, scopeOf, templateOf } from './helpers.js';

const TEMPLATE = `
Parameters:
  Stage: { Type: String, Default: dev }
  Size: { Type: Number, Default: 10 }
  Brokers: { Type: CommaDelimitedList, Default: "a:9092, b:9092" }
  NoDefault: { Type: String }
  FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /cdk-bootstrap/hnb659fds/version }
Mappings:
  Sizes:
    dev: { Batch: 5 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsDev, !Equals [a, a]]
  Either: !Or [!Condition IsProd, !Condition Both]
  Loop: !Not [!Condition Loop]
Resources:
  Queue: { Type: AWS::SQS::Queue }
  Fifo: { Type: AWS::SQS::Queue, Properties: { FifoQueue: true } }
  Named: { Type: AWS::SQS::Queue, Properties: { QueueName: !Sub '\${AWS::StackName}-named' } }
  Stream: { Type: AWS::Kinesis::Stream, Properties: { Name: clicks } }
  Table: { Type: AWS::DynamoDB::Table, Properties: { TableName: orders } }
  Fn: { Type: AWS::Serverless::Function, Properties: { FunctionName: worker } }
  Cluster: { Type: AWS::MSK::Cluster, Properties: { ClusterName: audit } }
  Role: { Type: AWS::IAM::Role }
`;

describe('CloudFormation short forms', () => {
  it('load to the same value as the JSON long forms', () => {
    const yaml = templateOf(`Resources:
  R:
    Type: X
    Properties:
      A: !Ref Q
      B: !GetAtt Q.Endpoint.Address
      C: !GetAtt [Q, Arn]
      D: !Sub 'x-\${AWS::Region}'
      E: !Sub ['\${A}', { A: !Ref Q }]
      F: !Join [',', [!Ref Q, b]]
      G: !If [C, !Ref Q, !Ref AWS::NoValue]
      H: !Select [0, !Split [',', 'a,b']]
      I: !FindInMap [M, !Ref Q, k]
      J: !ImportValue { 'Fn::Sub': '\${S}-x' }
      K: !Base64 text
      L: !Not [!Condition C]
`).resources.get('R')?.properties;
    const json = templateOf(
      JSON.stringify({
        Resources: {
          R: {
            Type: 'X',
            Properties: {
              A: { Ref: 'Q' },
              B: { 'Fn::GetAtt': ['Q', 'Endpoint.Address'] },
              C: { 'Fn::GetAtt': ['Q', 'Arn'] },
              D: { 'Fn::Sub': 'x-${AWS::Region}' },
              E: { 'Fn::Sub': ['${A}', { A: { Ref: 'Q' } }] },
              F: { 'Fn::Join': [',', [{ Ref: 'Q' }, 'b']] },
              G: { 'Fn::If': ['C', { Ref: 'Q' }, { Ref: 'AWS::NoValue' }] },
              H: { 'Fn::Select': [0, { 'Fn::Split': [',', 'a,b'] }] },
              I: { 'Fn::FindInMap': ['M', { Ref: 'Q' }, 'k'] },
              J: { 'Fn::ImportValue': { 'Fn::Sub': '${S}-x' } },
              K: { 'Fn::Base64': 'text' },
              L: { 'Fn::Not': [{ Condition: 'C' }] },
            },
          },
        },
      }),
      'template.json',
    ).resources.get('R')?.properties;
    expect(yaml).toEqual(json);
  });

  it('keep positions inside short forms, and tell SAM, CDK and CloudFormation apart', () => {
    const template = templateOf('Transform: AWS::Serverless-2016-10-31\nResources:\n  R:\n    Type: X\n    Properties:\n      E: !Sub\n        - "${A}"\n        - A: !Ref Q\n');
    expect(template.locate(['Resources', 'R', 'Properties', 'E', 'Fn::Sub', 1, 'A'])).toEqual({ file: 'template.yaml', line: 8, column: 11 });
    expect(template.kind).toBe('sam');
    expect(templateOf('{"Parameters":{"BootstrapVersion":{"Type":"String"}},"Resources":{}}').kind).toBe('cdk');
    expect(templateOf('Resources: {}').kind).toBe('cloudformation');
  });

  it('refuses what is not a template, with a position', () => {
    const message = (text: string): string | undefined => {
      const loaded = parseTemplate(text, 't.yaml', '/');
      return loaded.ok ? undefined : loaded.issues[0]?.message;
    };
    expect(message('- a\n')).toContain('not a CloudFormation template');
    expect(message('Parameters: {}\n')).toContain('Resources');
    expect(message('a: [\n')).toMatch(/^invalid YAML/);
  });
});

describe('intrinsic functions', () => {
  const scope = scopeOf(TEMPLATE);

  it('Ref: pseudo parameters, parameters (lists split, numbers as strings) and resources', () => {
    expect(evaluated(scope, { Ref: 'AWS::Region' })).toBe('us-east-1');
    expect(evaluated(scope, { Ref: 'AWS::AccountId' })).toBe('123456789012');
    expect(evaluated(scope, { Ref: 'AWS::Partition' })).toBe('aws');
    expect(evaluated(scope, { Ref: 'AWS::StackName' })).toBe('demo');
    expect(evaluated(scope, { Ref: 'AWS::URLSuffix' })).toBe('amazonaws.com');
    expect(evaluated(scope, { Ref: 'AWS::NoValue' })).toBe(NO_VALUE);
    expect(evaluated(scope, { Ref: 'Stage' })).toBe('dev');
    expect(evaluated(scope, { Ref: 'Size' })).toBe('10');
    expect(evaluated(scope, { Ref: 'Brokers' })).toEqual(['a:9092', 'b:9092']);
    expect(evaluated(scope, { Ref: 'Queue' })).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/demo-Queue');
    expect(evaluated(scope, { Ref: 'Stream' })).toBe('clicks');
    expect(evaluated(scope, { Ref: 'Fn' })).toBe('worker');
    expect(evaluated(scope, { Ref: 'Cluster' })).toMatch(/^arn:aws:kafka:us-east-1:123456789012:cluster\/audit\/[0-9a-f-]{36}-1$/);
  });

  it('Ref and GetAtt that cannot be known say why', () => {
    expect(evaluated(scope, { Ref: 'NoDefault' })).toEqual({ unresolved: 'parameter NoDefault has no Default; pass --parameter NoDefault=VALUE' });
    expect(evaluated(scope, { Ref: 'FromSsm' })).toMatchObject({ unresolved: expect.stringContaining('SSM Parameter Store') });
    expect(evaluated(scope, { Ref: 'Nope' })).toMatchObject({ unresolved: expect.stringContaining('no parameter or resource') });
    expect(evaluated(scope, { Ref: 'Role' })).toMatchObject({ unresolved: expect.stringContaining('AWS::IAM::Role') });
    expect(evaluated(scope, { 'Fn::GetAtt': ['Queue', 'Bogus'] })).toMatchObject({ unresolved: expect.stringContaining('Fn::GetAtt Queue.Bogus') });
    expect(evaluated(scope, { 'Fn::ImportValue': { 'Fn::Sub': '${Stage}-arn' } })).toMatchObject({ unresolved: expect.stringContaining('Fn::ImportValue "dev-arn" is exported by another stack') });
    expect(evaluated(scope, { 'Fn::GetAZs': '' })).toMatchObject({ unresolved: expect.stringContaining('Availability Zones') });
  });

  it('GetAtt: names given, generated (<stack>-<LogicalId>, .fifo kept) and attribute forms', () => {
    expect(evaluated(scope, { 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('arn:aws:sqs:us-east-1:123456789012:demo-Queue');
    expect(evaluated(scope, { 'Fn::GetAtt': ['Fifo', 'QueueName'] })).toBe('demo-Fifo.fifo');
    expect(evaluated(scope, { 'Fn::GetAtt': ['Named', 'QueueName'] })).toBe('demo-named');
    expect(evaluated(scope, { 'Fn::GetAtt': 'Stream.Arn' })).toBe('arn:aws:kinesis:us-east-1:123456789012:stream/clicks');
    expect(evaluated(scope, { 'Fn::GetAtt': ['Table', 'StreamArn'] })).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/orders\/stream\//);
    const generated = scope.evaluate({ 'Fn::GetAtt': ['Queue', 'Arn'] }, []);
    expect(generated.ok && generated.generated).toEqual(['Queue']);
    const given = scope.evaluate({ 'Fn::GetAtt': ['Stream', 'Arn'] }, []);
    expect(given.ok && given.generated).toEqual([]);
  });

  it('Sub (both forms, ${!Literal}, ${Resource.Attribute}), Join, Select, Split, Base64, Length, ToJsonString', () => {
    expect(evaluated(scope, { 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${Stage}-${!Literal}' })).toBe('arn:aws:x:us-east-1:dev-${Literal}');
    expect(evaluated(scope, { 'Fn::Sub': ['${A}/${Stream.Arn}', { A: { Ref: 'Stage' } }] })).toBe('dev/arn:aws:kinesis:us-east-1:123456789012:stream/clicks');
    expect(evaluated(scope, { 'Fn::Join': ['-', ['a', { Ref: 'Stage' }, 3]] })).toBe('a-dev-3');
    expect(evaluated(scope, { 'Fn::Select': [1, { Ref: 'Brokers' }] })).toBe('b:9092');
    expect(evaluated(scope, { 'Fn::Select': [5, { Ref: 'Brokers' }] })).toMatchObject({ unresolved: expect.stringContaining('out of range') });
    expect(evaluated(scope, { 'Fn::Split': [':', 'a:b'] })).toEqual(['a', 'b']);
    expect(evaluated(scope, { 'Fn::Base64': 'hi' })).toBe('aGk=');
    expect(evaluated(scope, { 'Fn::Length': { Ref: 'Brokers' } })).toBe(2);
    expect(evaluated(scope, { 'Fn::ToJsonString': { a: { Ref: 'Stage' } } })).toBe('{"a":"dev"}');
  });

  it('conditions, Fn::If with AWS::NoValue (removed from mappings and lists) and FindInMap', () => {
    expect(evaluated(scope, { 'Fn::If': ['IsProd', 'p', 'd'] })).toBe('d');
    expect(evaluated(scope, { 'Fn::If': ['Both', 'yes', 'no'] })).toBe('yes');
    expect(evaluated(scope, { 'Fn::If': ['Either', 'yes', 'no'] })).toBe('yes');
    expect(evaluated(scope, { a: 1, b: { 'Fn::If': ['IsProd', 2, { Ref: 'AWS::NoValue' }] }, c: [1, { Ref: 'AWS::NoValue' }] })).toEqual({ a: 1, c: [1] });
    expect(evaluated(scope, { 'Fn::If': ['Loop', 1, 2] })).toMatchObject({ unresolved: 'condition Loop refers to itself' });
    expect(evaluated(scope, { 'Fn::If': ['Missing', 1, 2] })).toMatchObject({ unresolved: expect.stringContaining('not defined') });
    expect(evaluated(scope, { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Batch'] })).toBe(5);
    expect(evaluated(scope, { 'Fn::FindInMap': ['Sizes', 'prod', 'Batch', { DefaultValue: 7 }] })).toBe(7);
    expect(evaluated(scope, { 'Fn::FindInMap': ['Sizes', 'prod', 'Batch'] })).toMatchObject({ unresolved: expect.stringContaining('Mappings.Sizes.prod.Batch') });
  });

  it('--parameter overrides defaults; a China region gets its partition and URL suffix', () => {
    const china = scopeOf(TEMPLATE, { Stage: 'prod', NoDefault: 'given', FromSsm: '6' }, 'cn-north-1');
    expect(evaluated(china, { Ref: 'Stage' })).toBe('prod');
    expect(evaluated(china, { Ref: 'NoDefault' })).toBe('given');
    expect(evaluated(china, { Ref: 'FromSsm' })).toBe('6');
    expect(evaluated(china, { 'Fn::If': ['IsProd', 'p', 'd'] })).toBe('p');
    expect(evaluated(china, { Ref: 'Queue' })).toBe('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/demo-Queue');
    expect(evaluated(china, { 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('arn:aws-cn:sqs:cn-north-1:123456789012:demo-Queue');
  });
});
