// A plain-text table that fits a width: columns carry a priority, and the least important go first when space runs out.

export interface Column {
  header: string;
  /** Lower numbers are kept longer. */
  priority: number;
  align?: 'left' | 'right';
}

export interface TextTable {
  text: string;
  hidden: string[];
}

export function renderTextTable(columns: Column[], rows: string[][], width = Infinity): TextTable {
  let keep = columns.map((_, i) => i);
  const widthOf = (indices: number[]): number =>
    indices.reduce((sum, i) => sum + Math.max((columns[i] as Column).header.length, ...rows.map((r) => (r[i] ?? '').length)), 0)
    + 2 * (indices.length - 1);
  while (widthOf(keep) > width && keep.length > 1) {
    const drop = keep.reduce((worst, i) => ((columns[i] as Column).priority > (columns[worst] as Column).priority ? i : worst));
    keep = keep.filter((i) => i !== drop);
  }
  const widths = keep.map((i) => Math.max((columns[i] as Column).header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => keep.map((i, k) => {
    const cell = cells[i] ?? '';
    const pad = widths[k] as number;
    return (columns[i] as Column).align === 'right' ? cell.padStart(pad) : cell.padEnd(pad);
  }).join('  ').trimEnd();
  const text = [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n');
  return { text, hidden: columns.filter((_, i) => !keep.includes(i)).map((c) => c.header) };
}

/** Wraps prose to a width, indenting continuation lines. */
export function wrap(text: string, width: number, indent: string): string {
  if (!Number.isFinite(width)) return indent + text;
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let current = indent;
  for (const word of words) {
    if (current.trim() !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = indent + word;
    } else {
      current += current.trim() === '' ? word : ` ${word}`;
    }
  }
  if (current.trim() !== '') lines.push(current);
  return lines.join('\n');
}
