/**
 * `tributary schema`: print the JSON Schema (draft-07) of the configuration file, for editors
 * (e.g. `# yaml-language-server: $schema=./tributary.schema.json`). DESIGN §4.
 */
import { parseArgs } from 'node:util';
import { configJsonSchema } from '../../config/index.js';
import { errorMessage } from '../../errors.js';
import { EXIT_OK, EXIT_USAGE, type CliCommand } from '../io.js';

/** Help text of `tributary schema`. */
export const SCHEMA_USAGE = `Usage: tributary schema

Print the JSON Schema of the configuration file to stdout.

Options:
  -h, --help   show this help
`;

/** The `schema` command. */
export const schemaCommand: CliCommand = async (argv, io) => {
  try {
    const { values } = parseArgs({ args: [...argv], options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true });
    if (values.help === true) {
      io.stdout(SCHEMA_USAGE);
      return EXIT_OK;
    }
  } catch (error) {
    io.stderr(`${errorMessage(error)}\n\n${SCHEMA_USAGE}`);
    return EXIT_USAGE;
  }
  io.stdout(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return EXIT_OK;
};
