// Apicurio Registry (io.apicurio:apicurio-registry-app, the Quarkus "all" distribution from Maven Central), for the
// Kafka schema-registry tests through its Confluent-compatible API (`/apis/ccompat/v7`): Avro, Protobuf and JSON
// Schema. 2.6.x runs on Java 17 (3.x needs Java 21). Unpacked once with Maven into .infra/apicurio/<version>/;
// started per test file on the first free port of 22360–22369 on 127.0.0.1 (in-memory H2 storage: nothing survives
// a stop), ready once `GET /apis/ccompat/v7/subjects` answers, stopped by the test file.

import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA_DIR, errorMessage, javaBin, jvmArgs, runToLog } from './common.ts';
import { freePortInRange, startLocalProcess, type LocalProcess } from './local-process.ts';

/** Pinned for reproducible runs; `TRIBUTARY_TEST_APICURIO_VERSION` overrides it (3.x needs JAVA_HOME of Java 21+). */
export const APICURIO_DEFAULT_VERSION = '2.6.13.Final';
const PORT_RANGE = { from: 22360, to: 22369 } as const;
const FETCH_TIMEOUT_MS = 15 * 60_000;

export interface ApicurioInstall {
  readonly dir: string;
  readonly jar: string;
  readonly version: string;
}

/** Unpacks the distribution with Maven (`dependency:unpack`) unless it is there; built beside and renamed into place. */
export async function ensureApicurio(log: (line: string) => void = () => undefined): Promise<ApicurioInstall> {
  const version = process.env['TRIBUTARY_TEST_APICURIO_VERSION'] ?? APICURIO_DEFAULT_VERSION;
  const dir = join(INFRA_DIR, 'apicurio', version);
  const jar = join(dir, version.startsWith('2.') ? `apicurio-registry-app-${version}-runner.jar` : 'quarkus-run.jar');
  if (existsSync(join(dir, 'install.json'))) return { dir, jar, version };
  mkdirSync(join(INFRA_DIR, 'apicurio'), { recursive: true });
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const fetchLog = join(INFRA_DIR, 'apicurio', `fetch-${version}.log`);
  log(`fetching io.apicurio:apicurio-registry-app:${version}:tar.gz:all with Maven (log: ${fetchLog})`);
  try {
    await runToLog(
      {
        command: process.env['MVN'] ?? 'mvn',
        args: ['-B', '-q', 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack', `-Dartifact=io.apicurio:apicurio-registry-app:${version}:tar.gz:all`, `-DoutputDirectory=${staging}`, `-DmarkersDirectory=${join(INFRA_DIR, 'apicurio', 'markers')}`],
      },
      fetchLog,
      FETCH_TIMEOUT_MS,
      `mvn dependency:unpack apicurio-registry-app ${version}`,
    );
    if (!existsSync(join(staging, jar.slice(dir.length + 1)))) throw new Error(`the distribution has no ${jar.slice(dir.length + 1)}`);
    writeFileSync(join(staging, 'install.json'), `${JSON.stringify({ artifact: `io.apicurio:apicurio-registry-app:${version}:tar.gz:all`, installedAt: new Date().toISOString() }, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(join(dir, 'install.json'))) return { dir, jar, version }; // another run won the race
    throw new Error(`Fetching Apicurio Registry failed (needs mvn and Maven Central). Nothing was skipped.\n${errorMessage(error)}`, { cause: error });
  }
  return { dir, jar, version };
}

export interface RunningApicurio {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The Confluent-compatible API: what `schemaRegistryURI` names. */
  readonly ccompat: string;
  readonly install: ApicurioInstall;
  readonly process: LocalProcess;
  stop(): Promise<void>;
}

/** Fetches (once) and starts Apicurio Registry with in-memory storage. */
export async function startApicurio(log: (line: string) => void = () => undefined): Promise<RunningApicurio> {
  const install = await ensureApicurio(log);
  const port = await freePortInRange(PORT_RANGE.from, PORT_RANGE.to);
  const url = `http://127.0.0.1:${port}`;
  const ccompat = `${url}/apis/ccompat/v7`;
  const running = await startLocalProcess({
    label: `Apicurio Registry ${install.version}`,
    spec: {
      command: javaBin(),
      args: [...jvmArgs('384m'), `-Dquarkus.http.port=${port}`, '-Dquarkus.http.host=127.0.0.1', '-Dquarkus.log.level=WARN', '-jar', install.jar],
      cwd: install.dir,
    },
    logPath: join(INFRA_DIR, 'apicurio', 'logs', `apicurio-${port}.log`),
    probe: async () => {
      const response = await fetch(`${ccompat}/subjects`, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok || !Array.isArray(await response.json())) throw new Error(`GET /subjects answered ${response.status}`);
    },
    readyTimeoutMs: 120_000,
    stopGraceMs: 10_000,
  });
  return { url, ccompat, install, process: running, stop: () => running.stop() };
}
