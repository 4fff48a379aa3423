/**
 * Kinesis's CloudFormation import (src/connector/source-import.ts): a stream of the template by name, else its ARN.
 * An enhanced fan-out consumer becomes its stream, read with GetRecords (with a warning).
 */
import { endpointEntry, namedOrArn, readValue, referencedResource, scalar, type OutEntry, type SourceImport } from '../../src/connector/import-kit.js';

export const kinesisImport: SourceImport = {
  resourceTypes: ['AWS::Kinesis::Stream', 'AWS::Kinesis::StreamConsumer'],
  fromArn(esm, session, arn, resource) {
    let stream = resource;
    let streamArn = arn;
    const consumer = resource?.type === 'AWS::Kinesis::StreamConsumer' || /:stream\/[^/]+\/consumer\//.test(String(arn.value));
    if (consumer) {
      // Enhanced fan-out: the mapping names a stream consumer; Tributary reads its stream with GetRecords.
      session.notes.add('warning', arn.at, `${esm.id}: an enhanced fan-out consumer; Tributary reads the stream itself with GetRecords (shared read throughput)`);
      if (resource !== undefined) {
        const property = { value: resource.properties['StreamARN'], path: ['Resources', resource.id, 'Properties', 'StreamARN'] };
        const read = readValue(esm, 'StreamARN', property, session.notes);
        if (read === undefined) return undefined;
        streamArn = read;
        stream = referencedResource(esm, property.value);
      } else {
        streamArn = { ...arn, value: String(arn.value).replace(/\/consumer\/.*$/, '') };
      }
    }
    const entries: OutEntry[] = [{ key: 'type', value: scalar('kinesis') }, ...namedOrArn(esm, session, streamArn, stream, 'streamName', 'stream'), endpointEntry('KINESIS_ENDPOINT')];
    return { type: 'kinesis', source: { kind: 'map', entries }, consumed: ['EventSourceArn'] };
  },
};
