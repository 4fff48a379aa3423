#!/usr/bin/env node
/** The `tributary` command. */
import { readFileSync } from 'node:fs';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { runCommand } from './commands/run.js';
import { demoCommand } from './commands/demo.js';
import { importCommand } from './commands/import.js';
import { EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from './io.js';

const HELP = `Usage: tributary <command> [options]

Self-hosted AWS Lambda event source mappings: SQS, Kinesis, DynamoDB Streams and Kafka
with Lambda's batching, retry, partial-failure and on-failure semantics.

Commands:
  run -c FILE        run every pipeline in FILE until SIGTERM / SIGINT
  validate -c FILE   check FILE; exit 0 if valid, 2 with every error otherwise
  schema             print the JSON Schema of the pipelines file
  import TEMPLATE    write a pipelines file from a SAM, CloudFormation or CDK template
  demo               run a self-contained Kinesis demo with the status page

Options:
  -h, --help         show help (also: tributary <command> --help)
  -v, --version      show the version
`;

function version(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const commands: Record<string, CliCommand> = {
    run: runCommand(process, (code) => process.exit(code)),
    validate: validateCommand,
    schema: schemaCommand,
    demo: demoCommand(process, (code) => process.exit(code)),
    import: importCommand,
  };
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(HELP);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(`${version()}\n`);
    return EXIT_OK;
  }
  const run = commands[command];
  if (run === undefined) {
    io.stderr(`unknown command "${command}"\n\n${HELP}`);
    return EXIT_USAGE;
  }
  return run(rest, io);
}

// kafkajs 2.2.4 calls setTimeout with negative delays, which Node ≥ 24 reports as TimeoutNegativeWarning.
// Harmless (Node uses 1 ms); every other warning is still printed.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tributary: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
