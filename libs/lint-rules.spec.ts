import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * `npm run lint` (part of `npm test`) catches a promise nobody awaits. ESLint's Node API lints a
 * small in-memory file with the project's own eslint.config.mjs. It runs in a process of its own:
 * the config is an ES module, which Jest's CommonJS sandbox cannot load.
 */
const ROOT = resolve(__dirname, '..');
// Allowed as an in-memory file by eslint.config.mjs (allowDefaultProject): typed with tsconfig.json.
const PROBE = join(ROOT, 'lint-probe.ts');

const LINT_IN_MEMORY = `
const { ESLint } = require('eslint');
(async () => {
  const eslint = new ESLint({ cwd: ${JSON.stringify(ROOT)} });
  const found = [];
  for (const text of JSON.parse(process.argv[1])) {
    const [result] = await eslint.lintText(text, { filePath: ${JSON.stringify(PROBE)} });
    found.push(result.messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message })));
  }
  process.stdout.write(JSON.stringify(found));
})().catch((error) => { console.error(error); process.exit(2); });
`;

type Finding = { rule: string | null; line: number; message: string };

/** What the project's lint config reports for each source text, in one ESLint process. */
async function lint(...texts: string[]): Promise<Finding[][]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', LINT_IN_MEMORY, JSON.stringify(texts)], { cwd: ROOT, maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout) as Finding[][];
}

const SAVE = `export async function save(): Promise<void> {}\n`;

describe('the lint config', () => {
  it('reports a floating promise and a promise handed to a void callback; the fixed versions pass', async () => {
    const [floating, awaited, voided, caught, misused, wrapped] = await lint(
      `${SAVE}export function onClick(): void {\n  save();\n}\n`,
      `${SAVE}export async function onClick(): Promise<void> {\n  await save();\n}\n`,
      `${SAVE}export function onClick(): void {\n  // Fire and forget: save reports its own failures.\n  void save();\n}\n`,
      `${SAVE}export function onClick(): void {\n  save().catch((error: unknown) => console.error(error));\n}\n`,
      `${SAVE}process.on('exit', async () => {\n  await save();\n});\n`,
      `${SAVE}process.on('exit', () => {\n  void save();\n});\n`,
    );
    expect(floating).toEqual([expect.objectContaining({ rule: '@typescript-eslint/no-floating-promises', line: 3 })]);
    expect(misused).toEqual([expect.objectContaining({ rule: '@typescript-eslint/no-misused-promises', line: 2 })]);
    expect({ awaited, voided, caught, wrapped }).toEqual({ awaited: [], voided: [], caught: [], wrapped: [] });
  });
});
