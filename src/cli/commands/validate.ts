/**
 * `tributary validate -c FILE`: load, interpolate and check a configuration file exactly as
 * `run` would, and print every issue as `file:line:column path: message` (DESIGN §4).
 */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../config/index.js';
import { errorMessage } from '../../errors.js';
import { configErrorReport, internalErrorReport } from '../config-errors.js';
import { EXIT_OK, EXIT_USAGE, type CliCommand } from '../io.js';

/** Help text of `tributary validate`. */
export const VALIDATE_USAGE = `Usage: tributary validate -c FILE

Check a configuration file (YAML or JSON): syntax, \${ENV} interpolation, the schema and
AWS's per-source rules. Prints "FILE: ok (N pipelines)" or every issue, one per line.

Options:
  -c, --config FILE   the configuration file
  -h, --help          show this help

Exit codes: 0 valid, 2 invalid or usage error.
`;

/** The `validate` command. Reads `${VAR}` values from `io.env` and relative paths from `io.cwd`. */
export const validateCommand: CliCommand = async (argv, io) => {
  let config: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
    if (values.help === true) {
      io.stdout(VALIDATE_USAGE);
      return EXIT_OK;
    }
    config = values.config;
  } catch (error) {
    io.stderr(`${errorMessage(error)}\n\n${VALIDATE_USAGE}`);
    return EXIT_USAGE;
  }
  if (config === undefined || config === '') {
    io.stderr(`missing --config FILE\n\n${VALIDATE_USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const loaded = await loadConfigFile(config, { env: io.env, cwd: io.cwd });
    const count = loaded.pipelines.length;
    io.stdout(`${config}: ok (${count} pipeline${count === 1 ? '' : 's'})\n`);
    return EXIT_OK;
  } catch (error) {
    const report = configErrorReport(error) ?? internalErrorReport(config, error);
    io.stderr(report.text);
    return report.exitCode;
  }
};
