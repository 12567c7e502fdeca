import { useCallback, useEffect, useMemo, useState } from 'react';
import { AdminApi, ApiError, adminBaseFor, consolePathOf } from './lib/api.js';
import { hrefOf, parseRoute, type Route } from './lib/route.js';
import type { Session, TenantSummary } from './lib/types.js';
import { AuditPage } from './pages/AuditPage.js';
import { ConnectorPage } from './pages/ConnectorPage.js';
import { IdentitiesPage } from './pages/IdentitiesPage.js';
import { GroupPage, UserPage } from './pages/IdentityPage.js';
import { JobsPage } from './pages/JobsPage.js';
import { Overview } from './pages/Overview.js';
import { SignIn } from './pages/SignIn.js';

// The Authorization header lives in this tab's sessionStorage only: gone when the tab closes,
// never shared with other tabs or origins, never in localStorage.
const AUTH_KEY = 'provisio.console.authorization';

function useRoute(): [Route, (href: string) => void] {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((href: string) => {
    window.location.hash = href.replace(/^#/, '');
  }, []);
  return [useMemo(() => parseRoute(hash), [hash]), navigate];
}

const NAV: { label: string; route: Route; matches: Route['page'][] }[] = [
  { label: 'Overview', route: { page: 'overview' }, matches: ['overview', 'connector'] },
  { label: 'Jobs', route: { page: 'jobs' }, matches: ['jobs'] },
  { label: 'Users and groups', route: { page: 'identities', kind: 'users' }, matches: ['identities', 'user', 'group'] },
  { label: 'Audit', route: { page: 'audit' }, matches: ['audit'] },
];

export function App() {
  const [authorization, setAuthorization] = useState<string | null>(() => sessionStorage.getItem(AUTH_KEY));
  const [session, setSession] = useState<Session>();
  const [route, navigate] = useRoute();
  const signOut = useCallback(() => {
    sessionStorage.removeItem(AUTH_KEY);
    setAuthorization(null);
    setSession(undefined);
  }, []);
  // A 401 anywhere (token rotated, server restarted with new credentials) signs out.
  const api = useMemo(
    () =>
      authorization
        ? new AdminApi(authorization, adminBaseFor(location.pathname), async (input, init) => {
            const response = await fetch(input, init);
            if (response.status === 401) signOut();
            return response;
          })
        : undefined,
    [authorization, signOut],
  );
  useEffect(() => {
    if (api && !session) api.session().then(setSession, (e: unknown) => e instanceof ApiError && e.status === 401 && signOut());
  }, [api, session, signOut]);

  if (!api) {
    return (
      <SignIn
        onSignedIn={(header, who) => {
          sessionStorage.setItem(AUTH_KEY, header);
          setSession(who);
          setAuthorization(header);
        }}
      />
    );
  }
  const readOnly = session?.readOnly ?? true;
  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={hrefOf({ page: 'overview' })}>
          Provisio
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.label}>
                <a href={hrefOf(item.route)} aria-current={item.matches.includes(route.page) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {session?.superAdmin ? <TenantSwitcher authorization={authorization ?? ''} current={session.tenant} /> : null}
        <div className="who">
          <span>
            {session?.name ?? '…'}
            {readOnly && session ? ' (read-only)' : ''}
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} api={api} readOnly={readOnly} navigate={navigate} />
      </main>
    </>
  );
}

function Page({ route, api, readOnly, navigate }: { route: Route; api: AdminApi; readOnly: boolean; navigate: (href: string) => void }) {
  switch (route.page) {
    case 'overview':
      return <Overview api={api} readOnly={readOnly} />;
    case 'connector':
      return <ConnectorPage key={route.id} api={api} id={route.id} readOnly={readOnly} />;
    case 'jobs':
      return (
        <JobsPage
          api={api}
          filter={{ status: route.status, connector: route.connector, user: route.user }}
          readOnly={readOnly}
          navigate={navigate}
        />
      );
    case 'identities':
      return <IdentitiesPage key={route.kind} api={api} kind={route.kind} q={route.q} navigate={navigate} />;
    case 'user':
      return <UserPage key={route.id} api={api} id={route.id} />;
    case 'group':
      return <GroupPage key={route.id} api={api} id={route.id} />;
    case 'audit':
      return <AuditPage key={route.entity ?? ''} api={api} entity={route.entity} />;
  }
}

/**
 * For the super admin: every tenant, and a way to its console (/t/<domain>/console/; the default tenant's at
 * /console/). The tab keeps the sign-in, so the other console opens signed in.
 */
function TenantSwitcher({ authorization, current }: { authorization: string; current: string }) {
  const [tenants, setTenants] = useState<TenantSummary[]>();
  useEffect(() => {
    // The tenant list lives on the default tenant's API, whichever tenant this console shows.
    new AdminApi(authorization, '/admin/v1').tenants().then(
      (list) => setTenants(list.tenants),
      () => setTenants([]),
    );
  }, [authorization]);
  if (!tenants || tenants.length < 2) return null;
  return (
    <label className="tenant-switcher">
      Tenant{' '}
      <select
        value={current}
        onChange={(e) => {
          const chosen = tenants.find((t) => t.domain === e.target.value);
          if (chosen) location.assign(consolePathOf(chosen.domain, chosen.default));
        }}
      >
        {tenants.map((t) => (
          <option key={t.domain} value={t.domain}>
            {t.displayName ? `${t.displayName} (${t.domain})` : t.domain}
          </option>
        ))}
      </select>
    </label>
  );
}
