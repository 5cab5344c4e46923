// ANSI colour for severities, used only when the door says the output is a colour terminal.

import type { Severity } from '../analyse/finding.ts';

const CODES: Record<Severity | 'bold' | 'dim', string> = { ok: '32', info: '36', warn: '33', crit: '31', bold: '1', dim: '2' };

export type Paint = (style: Severity | 'bold' | 'dim', text: string) => string;

export const plain: Paint = (_style, text) => text;
export const ansi: Paint = (style, text) => `\u001b[${CODES[style]}m${text}\u001b[0m`;
