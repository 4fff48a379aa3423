/** Typed reads of a contender's JSON parameters: a missing or mistyped one is a bug of the workload, said at once. */
import type { Params } from './types.ts';

export function num(params: Params, name: string): number {
  const value = params[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`bench parameter ${name}: expected a number, got ${JSON.stringify(value)}`);
  return value;
}

export function str(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') throw new Error(`bench parameter ${name}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

export function list(params: Params, name: string): string[] {
  const value = params[name];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`bench parameter ${name}: expected a list of strings`);
  return [...(value as readonly string[])];
}
