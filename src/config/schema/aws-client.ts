/** `region` and `endpoint`, shared by every AWS source (connectors/<x>/config.ts) and the AWS function runner. */
import { REGION } from '../aws-resources.js';
import { matching, optional, url } from './fields.js';

/** `region` and `endpoint` of every AWS client: the SDK's region chain and the real endpoint when absent. */
export const awsClientShape = {
  region: optional(matching(REGION, 'an AWS region such as us-east-1'), {
    description: 'AWS region; defaults to the region of the ARN, then the SDK chain (AWS_REGION …)',
  }),
  endpoint: optional(url(['http:', 'https:'], 'an http(s) URL'), { description: 'Endpoint override, e.g. an emulator' }),
};
