/**
 * JSON logs (pino). Credentials and secrets are redacted by key wherever they appear in a log object.
 */
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/types.js';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line. */
export const REDACTED_KEYS = [
  'password',
  'secret',
  'secretAccessKey',
  'sessionToken',
  'accessKeyId',
  'authorization',
  'Authorization',
  'token',
  'sasl',
  'credentials',
] as const;

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
  const options = { level, base: { service: 'tributary' }, redact: { paths, censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** A logger that drops everything (library users who pass none). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
