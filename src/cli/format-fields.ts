import { bold, useColor } from './output.js';

/** Options of {@link formatFields}. */
export interface FieldsOptions {
  /** Bold labels. @defaultValue true when stdout is a colour terminal */
  color?: boolean;
}

/**
 * Lays out `label  value` lines with aligned values, for one record (a task status, a DLQ entry).
 * Undefined values are left out; multi-line values are indented under their label.
 */
export function formatFields(
  fields: ReadonlyArray<readonly [string, string | number | undefined]>,
  options: FieldsOptions = {},
): string {
  const color = options.color ?? useColor();
  const shown = fields.filter((field): field is readonly [string, string | number] => field[1] !== undefined);
  const width = Math.max(0, ...shown.map(([label]) => label.length));
  return shown
    .map(([label, value]) => {
      const indent = ' '.repeat(width + 2);
      const text = String(value).split('\n').join(`\n${indent}`);
      return `${bold(label.padEnd(width), color)}  ${text}`.trimEnd();
    })
    .join('\n');
}
