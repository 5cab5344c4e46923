// JSON with etcd's uint64s kept exact: etcdctl -w json writes ids (member, cluster, lease) as bare numbers that
// JSON.parse would round beyond 2^53. Integers longer than 15 digits become strings before parsing; strings are skipped.

export function parseExactJson(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64)) as RegExpExecArray;
      const number = match[0];
      out += !match[1] && !match[2] && number.replace('-', '').length > 15 ? `"${number}"` : number;
      i += number.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return JSON.parse(out);
}
