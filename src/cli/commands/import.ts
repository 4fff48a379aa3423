/**
 * `tributary import TEMPLATE… [-o FILE]`: AWS SAM / CloudFormation / CDK templates → a Tributary pipelines file
 * (src/import/). A folder (such as `cdk.out`) means every `*.template.json` in it. Notes go to stderr, each at its
 * template line; the output is validated before it is written.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage, formatConfigIssue } from '../../errors.js';
import { formatOutputIssue, importTemplates, type TemplateInput } from '../../import/import-templates.js';
import { formatNote } from '../../import/notes.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, stackNameFromFile } from '../../import/stack.js';
import { EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../io.js';

/** Help text of `tributary import`. */
export const IMPORT_USAGE = `Usage: tributary import [options] TEMPLATE...

Writes a Tributary pipelines file from AWS SAM templates (AWS::Serverless::Function Events of type SQS, Kinesis,
DynamoDB, MSK, SelfManagedKafka), CloudFormation templates (AWS::Lambda::EventSourceMapping) or CDK synth output
(cdk.out/*.template.json; a folder means every *.template.json in it), YAML or JSON. Each part of the output says
where it came from; what is accepted with a warning, not imported, or needs a hand is listed on stderr with its
template line. The output is checked as \`tributary validate\` would check it.

Options:
  -o, --output FILE        write the pipelines file (default: stdout; paths are then relative to this folder)
  -p, --parameter KEY=VAL  a template parameter (repeatable); the others take their Default
      --region REGION      AWS::Region (default: $AWS_REGION, else ${DEFAULT_REGION})
      --account-id ID      AWS::AccountId (default: ${DEFAULT_ACCOUNT_ID}, the emulators' account)
      --stack-name NAME    AWS::StackName (default: the file name, e.g. MyStack for MyStack.template.json)
  -f, --force              overwrite FILE if it exists
  -h, --help               show this help

Exit codes: 0 written, 2 usage error, unreadable template, or output that does not validate (written anyway).
`;

interface ImportArgs {
  readonly templates: readonly string[];
  readonly output: string | undefined;
  readonly parameters: ReadonlyMap<string, string>;
  readonly region: string | undefined;
  readonly accountId: string | undefined;
  readonly stackName: string | undefined;
  readonly force: boolean;
}

type Parsed = { readonly ok: true; readonly args: ImportArgs } | { readonly ok: false; readonly code: number };

function parse(argv: readonly string[], io: CliIo): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        output: { type: 'string', short: 'o' },
        parameter: { type: 'string', short: 'p', multiple: true },
        region: { type: 'string' },
        'account-id': { type: 'string' },
        'stack-name': { type: 'string' },
        force: { type: 'boolean', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help === true) {
      io.stdout(IMPORT_USAGE);
      return { ok: false, code: EXIT_OK };
    }
    if (positionals.length === 0) throw new Error('missing TEMPLATE');
    const parameters = new Map<string, string>();
    for (const pair of values.parameter ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`--parameter ${pair}: expected KEY=VALUE`);
      parameters.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    if (values['account-id'] !== undefined && !/^\d{12}$/.test(values['account-id'])) throw new Error('--account-id must be 12 digits');
    return {
      ok: true,
      args: {
        templates: positionals,
        output: values.output,
        parameters,
        region: values.region,
        accountId: values['account-id'],
        stackName: values['stack-name'],
        force: values.force === true,
      },
    };
  } catch (error) {
    io.stderr(`${errorMessage(error)}\n\n${IMPORT_USAGE}`);
    return { ok: false, code: EXIT_USAGE };
  }
}

/** The CDK manifest's stack name of each template file of a cloud assembly folder. */
async function cdkStackNames(folder: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  try {
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string; stackName?: string } }> };
    for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
      if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile !== undefined) names.set(artifact.properties.templateFile, artifact.properties.stackName ?? id);
    }
  } catch {
    // No (readable) manifest: stack names come from the file names.
  }
  return names;
}

async function readTemplates(args: ImportArgs, io: CliIo): Promise<TemplateInput[]> {
  const inputs: TemplateInput[] = [];
  for (const given of args.templates) {
    const absolute = resolvePath(io.cwd, given);
    if ((await stat(absolute)).isDirectory()) {
      const stacks = await cdkStackNames(absolute);
      const files = (await readdir(absolute)).filter((file) => file.endsWith('.template.json')).sort();
      if (files.length === 0) throw new Error(`${given}: no *.template.json in this folder`);
      for (const file of files) {
        inputs.push({ text: await readFile(join(absolute, file), 'utf8'), file: join(given, file), dir: absolute, stackName: stacks.get(file) ?? stackNameFromFile(file) });
      }
    } else {
      inputs.push({ text: await readFile(absolute, 'utf8'), file: given, dir: dirname(absolute), stackName: stackNameFromFile(basename(absolute)) });
    }
  }
  if (args.stackName !== undefined) {
    if (inputs.length !== 1) throw new Error('--stack-name needs exactly one template');
    return inputs.map((input) => ({ ...input, stackName: args.stackName ?? input.stackName }));
  }
  return inputs;
}

/** The `import` command. */
export const importCommand: CliCommand = async (argv, io) => {
  const parsed = parse(argv, io);
  if (!parsed.ok) return parsed.code;
  const { args } = parsed;
  const outPath = resolvePath(io.cwd, args.output ?? 'tributary.yaml');
  if (args.output !== undefined && existsSync(outPath) && !args.force) {
    io.stderr(`${args.output} exists; pass --force to overwrite it\n`);
    return EXIT_USAGE;
  }
  let templates: TemplateInput[];
  try {
    templates = await readTemplates(args, io);
  } catch (error) {
    io.stderr(`${errorMessage(error)}\n`);
    return EXIT_USAGE;
  }
  const result = importTemplates({
    templates,
    parameters: args.parameters,
    region: args.region ?? io.env['AWS_REGION'] ?? DEFAULT_REGION,
    accountId: args.accountId ?? DEFAULT_ACCOUNT_ID,
    outPath,
    outLabel: args.output ?? 'stdout',
    env: io.env,
    nowMs: Date.now(),
  });
  if (!result.ok) {
    io.stderr(`${result.issues.map(formatConfigIssue).join('\n')}\n`);
    return EXIT_USAGE;
  }
  for (const note of result.notes) io.stderr(`${formatNote(note)}\n`);
  if (args.output === undefined) {
    io.stdout(result.text);
    if (result.extraFiles.size > 0) io.stderr(`inline function code is only written with --output: ${[...result.extraFiles.keys()].join(', ')}\n`);
  } else {
    await mkdir(dirname(outPath), { recursive: true });
    await writeFile(outPath, result.text);
    for (const [file, content] of result.extraFiles) {
      const target = join(dirname(outPath), file);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }
  const counted = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const where = args.output ?? 'stdout';
  io.stderr(`${where}: ${counted(result.pipelines, 'pipeline')}, ${counted(result.functions, 'function')}; ${counted(result.notes.length, 'note')}\n`);
  if (result.outputIssues.length > 0) {
    io.stderr(`${where} does not validate:\n${result.outputIssues.map(formatOutputIssue).join('\n')}\n`);
    return EXIT_USAGE;
  }
  return EXIT_OK;
};
