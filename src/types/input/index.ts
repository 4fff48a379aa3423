/** The typed input of `createPipeline` and `createService` (src/index.ts). */
export type * from './fields.js';
export type * from './source-input.js';
export type * from './function-input.js';
export type * from './pipeline-input.js';
export type * from './service-input.js';
