/**
 * JSON logs (pino). Credentials and secrets are redacted by key wherever they appear in a log object.
 * Each line carries `time` as ISO-8601 UTC (`"2026-01-02T03:04:05.678Z"`) and `level` as its name (`"info"`), the
 * shape log collectors (Loki, Elasticsearch, CloudWatch, Datadog) parse without a pipeline of their own; pino's
 * defaults (epoch ms, level 30) need one. https://getpino.io/#/docs/api?id=timestamp-boolean-function
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
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'tributary' },
    redact: { paths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** A logger that drops everything (library users who pass none). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
