/**
 * `tributary validate -c FILE`: load, interpolate and check a configuration file exactly as
 * `run` would, and print every issue as `file:line:column path: message` (DESIGN §4). Then each `module` function's
 * handler is checked without running it (file, module system, syntax, export, function: see
 * src/runner/handler-check), and with `--init` every function's init phase runs once in a sandbox (user code runs).
 */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../config/index.js';
import { loadYaml } from '../../config/load-yaml.js';
import type { PipelineConfig, TributaryConfig } from '../../config/types.js';
import { errorMessage, formatConfigIssue } from '../../errors.js';
import { createRunner } from '../../runner/create-runner.js';
import { checkHandler } from '../../runner/handler-check/check-handler.js';
import { INIT_TIMEOUT_MS } from '../../runner/module-runner.js';
import { configErrorReport, internalErrorReport } from '../config-errors.js';
import { EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../io.js';

/** Help text of `tributary validate`. */
export const VALIDATE_USAGE = `Usage: tributary validate -c FILE [--init]

Check a configuration file (YAML or JSON): syntax, \${ENV} interpolation, the schema and
AWS's per-source rules, then that every module handler resolves — the file exists, Node will
load it as the module system it is written in, it parses, and the export is a function —
without running it. Prints "FILE: ok (N pipelines)" or every issue, one per line; warnings
(AWS-only parameters, accepted and ignored; callback-style handlers, which AWS's nodejs24.x
runtime no longer runs) go to stderr and do not fail.

Options:
  -c, --config FILE   the configuration file
      --init          also run each function's init phase once (loads the handler module:
                      its top-level code runs) and report Lambda's init error if it fails
  -h, --help          show this help

Exit codes: 0 valid, 2 invalid or usage error.
`;

interface Finding {
  readonly severity: 'error' | 'warning';
  readonly pipelineIndex: number;
  readonly text: string;
}

/** Where each pipeline's `function.handler` (or `function`) is written, as `file:line:col path`. */
async function locator(config: string, cwd: string): Promise<(index: number, field: 'handler' | null) => string> {
  const text = await readFile(resolvePath(cwd, config), 'utf8');
  const loaded = loadYaml(text, config);
  return (index, field) => {
    const path = field === null ? ['pipelines', index, 'function'] : ['pipelines', index, 'function', field];
    const where = loaded.ok ? loaded.locate(path) : { line: 1, column: 1 };
    return `${config}:${where.line}:${where.column} pipelines[${index}].function${field === null ? '' : `.${field}`}`;
  };
}

async function checkHandlers(pipelines: readonly PipelineConfig[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [pipelineIndex, pipeline] of pipelines.entries()) {
    const fn = pipeline.function;
    if (fn.type !== 'module') continue;
    const check = await checkHandler(fn.handlerFile, fn.handlerExport);
    if (check.status === 'error') findings.push({ severity: 'error', pipelineIndex, text: `${check.errorType}: ${check.message}` });
    else for (const warning of check.warnings) findings.push({ severity: 'warning', pipelineIndex, text: warning });
  }
  return findings;
}

/** `--init`: each function's `prepare()` (module: one sandbox runs the init phase), then the runner is closed. */
async function runInits(config: TributaryConfig, skip: ReadonlySet<number>): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [pipelineIndex, pipeline] of config.pipelines.entries()) {
    if (skip.has(pipelineIndex)) continue;
    const region = 'region' in pipeline.source && pipeline.source.region !== null ? pipeline.source.region : 'us-east-1';
    const runner = createRunner(pipeline.function, { region, now: Date.now, pipeline: pipeline.name });
    try {
      const prepared = (await runner.prepare?.(AbortSignal.timeout(INIT_TIMEOUT_MS * 2))) ?? { status: 'ok', warnings: [] };
      if (prepared.status === 'error') {
        const stack = (prepared.stack ?? []).map((line) => `\n    ${line.trim()}`).join('');
        findings.push({ severity: 'error', pipelineIndex, text: `init failed: ${prepared.error.errorType}: ${prepared.error.errorMessage}${stack}` });
      }
    } finally {
      await runner.close();
    }
  }
  return findings;
}

function print(io: CliIo, findings: readonly Finding[], where: (index: number, field: 'handler' | null) => string, pipelines: readonly PipelineConfig[]): void {
  for (const finding of findings) {
    const field = pipelines[finding.pipelineIndex]?.function.type === 'module' ? 'handler' : null;
    const label = finding.severity === 'warning' ? 'warning: ' : '';
    io.stderr(`${where(finding.pipelineIndex, field)}: ${label}${finding.text}\n`);
  }
}

/** The `validate` command. Reads `${VAR}` values from `io.env` and relative paths from `io.cwd`. */
export const validateCommand: CliCommand = async (argv, io) => {
  let config: string | undefined;
  let init: boolean;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { config: { type: 'string', short: 'c' }, init: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
    if (values.help === true) {
      io.stdout(VALIDATE_USAGE);
      return EXIT_OK;
    }
    config = values.config;
    init = values.init === true;
  } catch (error) {
    io.stderr(`${errorMessage(error)}\n\n${VALIDATE_USAGE}`);
    return EXIT_USAGE;
  }
  if (config === undefined || config === '') {
    io.stderr(`missing --config FILE\n\n${VALIDATE_USAGE}`);
    return EXIT_USAGE;
  }
  let loaded: TributaryConfig;
  try {
    loaded = await loadConfigFile(config, { env: io.env, cwd: io.cwd });
    for (const warning of loaded.warnings) io.stderr(`warning: ${formatConfigIssue(warning)}\n`);
  } catch (error) {
    const report = configErrorReport(error) ?? internalErrorReport(config, error);
    io.stderr(report.text);
    return report.exitCode;
  }
  try {
    const findings = await checkHandlers(loaded.pipelines);
    const failed = new Set(findings.filter((finding) => finding.severity === 'error').map((finding) => finding.pipelineIndex));
    if (init) findings.push(...(await runInits(loaded, failed)));
    print(io, findings, await locator(config, io.cwd), loaded.pipelines);
    if (findings.some((finding) => finding.severity === 'error')) return EXIT_USAGE;
  } catch (error) {
    // `validate` exits 0 or 2, whatever happens (issue 19).
    const report = internalErrorReport(config, error);
    io.stderr(report.text);
    return report.exitCode;
  }
  const count = loaded.pipelines.length;
  io.stdout(`${config}: ok (${count} pipeline${count === 1 ? '' : 's'})\n`);
  return EXIT_OK;
};
