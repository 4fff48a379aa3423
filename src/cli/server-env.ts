/**
 * `TRIBUTARY_SERVER_HOST` / `TRIBUTARY_SERVER_PORT`: the operations server's address (`/healthz`, `/readyz`,
 * `/metrics`, `/status`) from the environment, over the pipelines file's `server:`.
 *
 * Why: the server binds 127.0.0.1 by default, which inside a container is the container's own loopback — a
 * published port and Kubernetes probes never reach it. The image sets `TRIBUTARY_SERVER_HOST=0.0.0.0`, so the
 * same pipelines file runs on a laptop (127.0.0.1) and in a container (every interface of the container's network
 * namespace) unchanged. Outside a container nothing changes unless the variable is set.
 */
import { isIP } from 'node:net';
import type { ServerConfig, TributaryConfig } from '../config/types.js';
import { ConfigError, type ConfigIssue } from '../errors.js';

export const SERVER_HOST_ENV = 'TRIBUTARY_SERVER_HOST';
export const SERVER_PORT_ENV = 'TRIBUTARY_SERVER_PORT';

/** A host name (RFC 1123 labels) or an IPv4 / IPv6 address. */
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export type ServerEnv =
  | { readonly ok: true; readonly host: string | null; readonly port: number | null }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

const issue = (path: string, message: string): ConfigIssue => ({ file: null, line: null, column: null, path, message });

/** Reads and checks the two variables; unset or empty means "keep the file's value". */
export function readServerEnv(env: Readonly<Record<string, string | undefined>>): ServerEnv {
  const issues: ConfigIssue[] = [];
  const rawHost = env[SERVER_HOST_ENV]?.trim() ?? '';
  const rawPort = env[SERVER_PORT_ENV]?.trim() ?? '';
  if (rawHost !== '' && isIP(rawHost) === 0 && !HOSTNAME.test(rawHost)) {
    issues.push(issue(SERVER_HOST_ENV, `must be a host name or an IP address such as 0.0.0.0 or 127.0.0.1 (got ${JSON.stringify(rawHost)})`));
  }
  const port = rawPort === '' ? null : Number(rawPort);
  if (port !== null && (!/^\d+$/.test(rawPort) || port < 1 || port > 65_535)) {
    issues.push(issue(SERVER_PORT_ENV, `must be an integer between 1 and 65535 (got ${JSON.stringify(rawPort)})`));
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, host: rawHost === '' ? null : rawHost, port };
}

/** `server` with the environment's host and port applied. */
export function serverWithEnv(server: ServerConfig, env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const read = readServerEnv(env);
  if (!read.ok) throw new ConfigError(read.issues);
  return { ...server, host: read.host ?? server.host, port: read.port ?? server.port };
}

/** `config` with `serverWithEnv` applied (a new frozen object; the loaded config is never mutated). */
export function configWithServerEnv(config: TributaryConfig, env: Readonly<Record<string, string | undefined>>): TributaryConfig {
  const server = serverWithEnv(config.server, env);
  if (server.host === config.server.host && server.port === config.server.port) return config;
  return Object.freeze({ ...config, server: Object.freeze(server) });
}
