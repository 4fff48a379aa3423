/**
 * What every outcome of `tributary validate` (and `run` on an invalid file) must satisfy, whatever the input
 * (issue 19): exit 0 or 2; on 0 the one `ok` line; on 2 only lines that start with `file:line:column`; no
 * stack trace or JavaScript error name; no planted secret; no raw control or invisible character.
 */

/** One finished run. */
export interface Outcome {
  readonly exitCode: number | null;
  readonly output: string;
}

const STACK = /^\s+at |\b(?:RangeError|TypeError|ReferenceError|SyntaxError|Error):|Maximum call stack|internal error|parseAllDocuments|YAMLParseError|\[object /m;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff\ue000-\uf8ff]/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every rule `outcome` breaks (empty when it is fine). */
export function violations(outcome: Outcome, file: string, secrets: readonly string[]): string[] {
  const out: string[] = [];
  const { exitCode, output } = outcome;
  if (exitCode !== 0 && exitCode !== 2) out.push(`exit code ${String(exitCode)} (only 0 or 2)`);
  if (STACK.test(output)) out.push(`a stack trace or error name: ${JSON.stringify(STACK.exec(output)?.[0])}`);
  for (const secret of secrets) if (output.includes(secret)) out.push(`secret ${secret} echoed`);
  const raw = RAW.exec(output);
  if (raw !== null) out.push(`raw character U+${(raw[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')} in the output`);
  const lines = output.endsWith('\n') ? output.slice(0, -1).split('\n') : [output];
  // Warnings (`warning: file:line:column …`) may come with either outcome; they are positioned too.
  const positioned = new RegExp(`^(?:warning: )?${escapeRegExp(file)}:\\d+:\\d+ \\S`);
  const ok = new RegExp(`^${escapeRegExp(file)}: ok \\(\\d+ pipelines?\\)$`);
  if (exitCode === 0) {
    const oks = lines.filter((line) => ok.test(line));
    const other = lines.find((line) => !ok.test(line) && !positioned.test(line));
    if (oks.length !== 1 || other !== undefined) out.push(`exit 0 without one ok line: ${JSON.stringify(output.slice(0, 200))}`);
  } else if (exitCode === 2) {
    const bad = lines.find((line) => !positioned.test(line));
    if (bad !== undefined) out.push(`a line without file:line:column: ${JSON.stringify(bad.slice(0, 200))}`);
  }
  return out;
}
