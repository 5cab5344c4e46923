// Which group a key counts under, for `keyspace`. Under /registry/ (Kubernetes' prefix) by resource:
// /registry/<resource>/, or /registry/<group>/<resource>/ for an API group (a name with a dot: CRDs and aggregated
// APIs), and /registry/services/specs/ and /registry/services/endpoints/ apart; with byNamespace, the namespace
// segment too when the key has one (namespaced objects are /registry/<resource>/<namespace>/<name>). Anything else by
// its first `depth` path segments. Pure.

export interface GroupOptions {
  depth: number;
  byNamespace: boolean;
}

/** Resources kept one level deeper, because their second segment is a kind of object, not a namespace. */
const SPLIT_RESOURCES = new Set(['services']);

export function groupOf(key: string, options: GroupOptions): string {
  const segments = key.split('/');
  if (segments[0] === '' && segments[1] === 'registry' && segments.length > 3) {
    let end = 3;
    if ((segments[2] as string).includes('.') && segments.length > 4) end = 4;
    else if (SPLIT_RESOURCES.has(segments[2] as string) && segments.length > 4) end = 4;
    // Namespaced objects have a namespace and a name after the resource; cluster-scoped ones only a name.
    if (options.byNamespace && segments.length - end >= 2) end += 1;
    return `${segments.slice(0, end).join('/')}/`;
  }
  const end = (segments[0] === '' ? 1 : 0) + options.depth;
  if (segments.length <= end) return key;
  return `${segments.slice(0, end).join('/')}/`;
}
