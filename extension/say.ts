// The extension's words for the core's inputs: a cluster's settings in etcdPerf.clusters where there is one, the
// input's own name otherwise; and core messages said in those words.

import { errorInWords, type Field, sayInWords } from '../shared/entry/index.ts';

const SETTINGS: Partial<Record<Field, string>> = {
  endpoints: 'endpoints', cacert: 'cacert', cert: 'cert', key: 'key', user: 'user', password: 'password',
  kubeconfig: 'kubernetes.kubeconfig', context: 'kubernetes.context', namespace: 'kubernetes.namespace', selector: 'kubernetes.selector',
};

function settingWord(field: Field): string {
  const setting = SETTINGS[field];
  return setting ? `the cluster's "${setting}" setting` : field.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

/** A core message in the extension's words (a usage error about one field names its setting first). */
export function say(message: string, field?: Field): string {
  return sayInWords(message, settingWord, field);
}

/** An error as the extension says it. */
export function errorText(error: unknown): string {
  return errorInWords(error, settingWord);
}
