/**
 * `source:` of a pipeline, discriminated by `type` — the library's typed form of src/config/schema/source.ts
 * (test/unit/types/library-input-sync.test.ts keeps the two in step).
 */
import type { AwsClientInput, BooleanInput, NumberInput } from './fields.js';

/** `type: 'sqs'`: give `queueUrl` or `queueArn`. */
export interface SqsSourceInput extends AwsClientInput {
  readonly type: 'sqs';
  /** Queue URL (or give `queueArn`). */
  readonly queueUrl?: string | undefined;
  /** Queue ARN, `arn:aws:sqs:<region>:<account>:<name>` (or give `queueUrl`). */
  readonly queueArn?: string | undefined;
  /** Lambda's ScalingConfig. */
  readonly scalingConfig?:
    | {
        /** ScalingConfig.MaximumConcurrency: 2–1000 concurrent invocations; default: Tributary's own cap. */
        readonly maximumConcurrency?: NumberInput | undefined;
      }
    | undefined;
}

/** `type: 'kinesis'`: give `streamName` or `streamArn` (or only `consumerArn`, which names its stream). */
export interface KinesisSourceInput extends AwsClientInput {
  readonly type: 'kinesis';
  readonly streamName?: string | undefined;
  /** `arn:aws:kinesis:<region>:<account>:stream/<name>`. */
  readonly streamArn?: string | undefined;
  /** Enhanced fan-out through this stream consumer (as an AWS mapping's EventSourceArn); not with `consumerName`. */
  readonly consumerArn?: string | undefined;
  /** Enhanced fan-out through the consumer of this name, registered when the stream has none. */
  readonly consumerName?: string | undefined;
}

/** `type: 'dynamodb-streams'`: give `tableName` (its latest stream) or `streamArn`. */
export interface DynamoDbStreamsSourceInput extends AwsClientInput {
  readonly type: 'dynamodb-streams';
  readonly tableName?: string | undefined;
  /** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`. */
  readonly streamArn?: string | undefined;
}

/** `sasl:` of a Kafka source; `plain` and the SCRAM mechanisms need `username` and `password`. */
export interface KafkaSaslInput {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512' | 'aws-iam';
  readonly username?: string | undefined;
  /** Read it from the environment (`'${KAFKA_PASSWORD}'` or `process.env…`); it never appears in logs. */
  readonly password?: string | undefined;
  /** PLAIN / SCRAM: a Secrets Manager secret holding `username` and `password` (AWS BASIC_AUTH / SASL_SCRAM_*_AUTH), instead of them. */
  readonly secretArn?: string | undefined;
}

/** `ssl:` as an object: TLS with a private CA and/or without verifying the brokers' certificates. */
export interface KafkaSslInput {
  /** PEM file of the CA that signed the brokers' certificates (AWS SERVER_ROOT_CA_CERTIFICATE). */
  readonly caCertificate?: string | undefined;
  /** Verify the brokers' certificates (default true). */
  readonly rejectUnauthorized?: BooleanInput | undefined;
  /** Client certificate for mutual TLS (AWS CLIENT_CERTIFICATE_TLS_AUTH): a PEM file or PEM text; needs `key`. */
  readonly certificate?: string | undefined;
  /** The client certificate's private key: a PEM file or PEM text; may be encrypted (`keyPassword`). */
  readonly key?: string | undefined;
  /** Password of an encrypted `key` (read it from the environment). */
  readonly keyPassword?: string | undefined;
}

/** `schemaRegistryConfig:` of a Kafka source, as AWS's KafkaSchemaRegistryConfig. */
export interface KafkaSchemaRegistryInput {
  /** A Confluent-compatible registry URL (`http(s)://…`) or an AWS Glue registry ARN. */
  readonly schemaRegistryURI: string;
  /** `JSON` (default): validated attributes as JSON; `SOURCE`: as sent, without the schema header. */
  readonly eventRecordFormat?: 'JSON' | 'SOURCE' | undefined;
  /** Which attributes are validated: 1–2 of `{ attribute: 'KEY' }`, `{ attribute: 'VALUE' }`. */
  readonly schemaValidationConfigs: readonly { readonly attribute: 'KEY' | 'VALUE' }[];
  /** The registry's credentials, as Secrets Manager secret ARNs (at most 2). */
  readonly accessConfigs?: readonly { readonly type: 'BASIC_AUTH' | 'CLIENT_CERTIFICATE_TLS_AUTH' | 'SERVER_ROOT_CA_CERTIFICATE'; readonly uri: string }[] | undefined;
}

/** `type: 'kafka'`: Amazon MSK (with `clusterArn`) or self-managed Apache Kafka. */
export interface KafkaSourceInput {
  readonly type: 'kafka';
  /** 1–10 `host:port`, or one comma-separated string. */
  readonly bootstrapServers: readonly string[] | string;
  /** Topics to consume (AWS allows exactly one; Tributary several, in one consumer group). */
  readonly topics: readonly string[];
  /** Consumer group id; default `tributary-<pipeline name>`. */
  readonly consumerGroupId?: string | undefined;
  /** MSK cluster ARN: the events are then Amazon MSK events (`eventSource: 'aws:kafka'`). */
  readonly clusterArn?: string | undefined;
  /** TLS: `true` (system CAs), or `{ caCertificate, rejectUnauthorized }`; default false. */
  readonly ssl?: BooleanInput | KafkaSslInput | undefined;
  readonly sasl?: KafkaSaslInput | undefined;
  /** Decode (and validate) keys and values with a schema registry: Avro, Protobuf, JSON Schema. */
  readonly schemaRegistryConfig?: KafkaSchemaRegistryInput | undefined;
}

/** The source of each `type`. */
export interface SourceInputs {
  readonly sqs: SqsSourceInput;
  readonly kinesis: KinesisSourceInput;
  readonly 'dynamodb-streams': DynamoDbStreamsSourceInput;
  readonly kafka: KafkaSourceInput;
}

/** `source.type`. */
export type SourceTypeInput = keyof SourceInputs;

/** Any `source:`. */
export type SourceInput = SourceInputs[SourceTypeInput];
