/**
 * `api:` — Tributary's Lambda API (README "Lambda API"): where it listens, which account and region its ARNs name,
 * whether mappings declared in this file may be changed through it, how often a replica looks for mappings another
 * replica created, and where sources created through it are reached (AWS knows on its own; Tributary must be told).
 * Credentials are never part of the file: `TRIBUTARY_API_ACCESS_KEY_ID` / `TRIBUTARY_API_SECRET_ACCESS_KEY`.
 */
import * as z from 'zod';
import { MSK_CLUSTER_ARN, REGION } from '../aws-resources.js';
import { API_SYNC_INTERVAL_SECONDS, DEFAULT_API } from '../defaults.js';
import { expected, int, mappingError, matching, oneOf, optional, optionalBoolean, optionalNumber, text, url, hostName } from './fields.js';

const object = expected('a mapping');

const endpointDefaults = z.strictObject(
  {
    endpoint: optional(url(['http:', 'https:'], 'an http(s) URL'), { description: 'Endpoint of sources of this type created through the API (emulators, VPC endpoints)' }),
    region: optional(matching(REGION, 'an AWS region such as us-east-1'), { description: 'Region override; default the region of the ARN' }),
  },
  { error: object },
);

const sourceDefaultsSchema = z.strictObject(
  {
    sqs: optional(endpointDefaults),
    kinesis: optional(endpointDefaults),
    dynamodbStreams: optional(endpointDefaults),
    mskBootstrapServers: optional(
      z.record(matching(MSK_CLUSTER_ARN, 'an MSK cluster ARN'), z.array(text(), { error: expected('a list of host:port') }), {
        error: mappingError('keys must be MSK cluster ARNs'),
      }),
      { description: 'Bootstrap servers of each MSK cluster ARN that mappings created through the API may name' },
    ),
  },
  { error: object },
);

/** The `api:` section. Present means enabled unless `enabled: false`. */
export const apiSchema = z.strictObject(
  {
    enabled: optionalBoolean({ description: "Serve Lambda's REST API and run the mappings created through it", default: true }),
    host: optional(hostName(), { description: 'Listen address; anything but loopback requires TRIBUTARY_API_ACCESS_KEY_ID / TRIBUTARY_API_SECRET_ACCESS_KEY', default: DEFAULT_API.host }),
    port: optionalNumber(int({ min: 0, max: 65_535 }), { description: 'Listen port (0: any free port)', default: DEFAULT_API.port }),
    region: optional(matching(REGION, 'an AWS region such as us-east-1'), { description: 'Region of every ARN the API returns and of request signatures', default: DEFAULT_API.region }),
    accountId: optional(matching(/^\d{12}$/, 'a 12-digit AWS account id, quoted'), { description: 'Account of every ARN the API returns', default: DEFAULT_API.accountId }),
    fileMappings: optional(oneOf(['read-only', 'writable']), {
      description: 'Whether pipelines of this file may be updated or deleted through the API (the change is stored with the checkpoints and wins over the file)',
      default: DEFAULT_API.fileMappings,
    }),
    syncIntervalSeconds: optionalNumber(int(API_SYNC_INTERVAL_SECONDS), {
      description: 'How often a replica reads the stored mappings to pick up changes made on another replica',
      default: DEFAULT_API.syncIntervalSeconds,
    }),
    sourceDefaults: optional(sourceDefaultsSchema, { description: 'Where sources of mappings created through the API are reached' }),
  },
  { error: object },
);
