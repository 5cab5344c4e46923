// Names in the order a person expects: digit runs compare as numbers ("etcd-2" before "etcd-10"), then letters
// without regard to case, punctuation before letters; names equal that way fall back to lower case first. For the
// names etcd members and pods carry (DNS labels, URLs) this is the order of `localeCompare(…, { numeric: true })`,
// written out because that call's first use loads ICU's collator: 6-10 ms of every `check`, where a handful of
// member names is all it sorts.

const DIGITS = /(\d+)/;

// ASCII punctuation in the root collation's order, then digits, then letters; anything else after them.
const PUNCTUATION = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';

function rank(code: number): number {
  if (code >= 97 && code <= 122) return 200 + code; // a-z
  if (code >= 65 && code <= 90) return 232 + code; // A-Z, as their lower case
  if (code >= 48 && code <= 57) return 100 + code;
  const punctuation = PUNCTUATION.indexOf(String.fromCharCode(code));
  return punctuation >= 0 ? punctuation : 400 + code;
}

function compareText(x: string, y: string): number {
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const difference = rank(x.charCodeAt(i)) - rank(y.charCodeAt(i));
    if (difference !== 0) return difference;
  }
  return x.length - y.length;
}

const swapCase = (text: string): string => text.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  const left = a.split(DIGITS);
  const right = b.split(DIGITS);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const [x, y] = [left[i] as string, right[i] as string];
    if (x === y) continue;
    // split() with a capturing group puts the digit runs at odd indices.
    // A text run followed by digits compares as if its next character were a digit ("cp-1" before "cp1").
    const difference = i % 2 === 1 ? Number(x) - Number(y)
      : compareText(i + 1 < left.length ? `${x}0` : x, i + 1 < right.length ? `${y}0` : y);
    if (difference !== 0) return difference;
  }
  if (left.length !== right.length) return left.length - right.length;
  return swapCase(a) < swapCase(b) ? -1 : 1;
}
