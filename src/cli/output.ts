/**
 * CLI output: colours only on a terminal (never with `NO_COLOR` or `TERM=dumb`; always with a
 * non-zero `FORCE_COLOR`), JSON for scripts. The decision is ours alone: `styleText` is told not to
 * second-guess it, since Node's own check turns colours off whenever `CI` is set.
 */
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env['NO_COLOR']) return false;
  const force = process.env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return Boolean(stream.isTTY) && process.env['TERM'] !== 'dumb';
}

export function paint(style: Style, text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return useColor(stream) ? styleText(style, text, { validateStream: false }) : text;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Rows as aligned columns, the header dimmed. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${paint('dim', line(headers))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

/** A user-facing failure: printed as `procore-sandbox: <message>`, exit code 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
