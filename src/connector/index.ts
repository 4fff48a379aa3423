export * from './types.js';
export type * from './config.js';
