/** Hash routes of the console: `#/jobs?status=failed`, `#/connectors/scim-app`, `#/users/<id>`. */
export type Route =
  | { page: 'overview' }
  | { page: 'connector'; id: string }
  | { page: 'jobs'; status?: string; connector?: string; user?: string }
  | { page: 'identities'; kind: 'users' | 'groups'; q?: string }
  | { page: 'user'; id: string }
  | { page: 'group'; id: string }
  | { page: 'audit'; entity?: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path, search = ''] = raw.split('?', 2);
  const params = new URLSearchParams(search);
  const get = (name: string) => params.get(name) || undefined;
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => safeDecode(p));
  switch (parts[0]) {
    case 'connectors':
      return parts[1] ? { page: 'connector', id: parts[1] } : { page: 'overview' };
    case 'jobs':
      return { page: 'jobs', status: get('status'), connector: get('connector'), user: get('user') };
    case 'users':
      return parts[1] ? { page: 'user', id: parts[1] } : { page: 'identities', kind: 'users', q: get('q') };
    case 'groups':
      return parts[1] ? { page: 'group', id: parts[1] } : { page: 'identities', kind: 'groups', q: get('q') };
    case 'audit':
      return { page: 'audit', entity: get('entity') };
    default:
      return { page: 'overview' };
  }
}

export function hrefOf(route: Route): string {
  const q = (params: Record<string, string | undefined>) => {
    const entries = Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]));
    return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
  };
  switch (route.page) {
    case 'overview':
      return '#/';
    case 'connector':
      return `#/connectors/${encodeURIComponent(route.id)}`;
    case 'jobs':
      return `#/jobs${q({ status: route.status, connector: route.connector, user: route.user })}`;
    case 'identities':
      return `#/${route.kind}${q({ q: route.q })}`;
    case 'user':
      return `#/users/${encodeURIComponent(route.id)}`;
    case 'group':
      return `#/groups/${encodeURIComponent(route.id)}`;
    case 'audit':
      return `#/audit${q({ entity: route.entity })}`;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
