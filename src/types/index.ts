/**
 * The library's public types: Lambda's events and responses of the four sources (events/), and the typed input of
 * `createPipeline` / `createService` (input/).
 */
export type * from './events/index.js';
export type * from './input/index.js';
