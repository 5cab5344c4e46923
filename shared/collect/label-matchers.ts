// PromQL label matchers as users give them (job=~".*etcd.*", braces optional): checked, and put in the one form the
// alert rules, the dashboard and the Prometheus source all write into their queries.

import { UsageError, type Field } from '../util/errors.ts';

const MATCHER = /\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*/y;

/** The matchers without braces, joined by ", "; a usage error naming `field` for anything else. */
export function parseSelector(text: string, field: Field = 'selector'): string {
  const inner = text.trim().replace(/^\{([\s\S]*)\}$/, '$1').trim();
  const fail = (): never => { throw new UsageError(`expected label matchers like job=~".*etcd.*", got "${text}"`, field); };
  let at = 0;
  const parts: string[] = [];
  while (at < inner.length) {
    MATCHER.lastIndex = at;
    const match = MATCHER.exec(inner) ?? fail();
    parts.push(match[0].trim());
    at = MATCHER.lastIndex;
    if (at < inner.length) {
      if (inner[at] !== ',') fail();
      at += 1;
    }
  }
  return parts.join(', ');
}
