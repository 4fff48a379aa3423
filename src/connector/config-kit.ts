/**
 * What a connector's config piece (connectors/<x>/config.ts) builds its zod schema and resolver from: the field
 * builders of src/config/schema, the AWS resource name rules and the defaults. Connectors import src only through
 * src/connector (DESIGN §2), so the config helpers they share with the core are re-exported here. Light: zod and pure
 * functions only, no SDK (the schema is built synchronously at config load).
 */
import * as z from 'zod';
import { expected } from '../config/schema/fields.js';

export {
  acceptsInterpolation,
  expected,
  int,
  matching,
  oneOf,
  optional,
  optionalBoolean,
  optionalNumber,
  required,
  text,
  url,
} from '../config/schema/fields.js';
export { awsClientShape } from '../config/schema/aws-client.js';
export * from '../config/aws-resources.js';
export { CONSUMER_GROUP_ID_PATTERN, KAFKA_BOOTSTRAP_SERVERS, SQS_MAXIMUM_CONCURRENCY, defaultConsumerGroupId } from '../config/defaults.js';
export { isPemText } from '../config/pem-text.js';

/** A mapping with no field beyond `shape` (`source:` and its nested mappings), "expected a mapping" for anything else. */
export function strictMapping<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  return z.strictObject(shape, { error: expected('a mapping') });
}
