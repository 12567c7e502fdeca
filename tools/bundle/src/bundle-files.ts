// The files the bundle carries besides node_modules: its package.json, the
// start script, a sample manifest and a README. Text only; build-bundle.ts writes them.
import type { WorkspacePackage } from './workspace-packages.ts';

/** Each workspace package as a `file:` dependency on its tarball, with the pinned third-party versions. */
export function bundlePackageJson(
  server: WorkspacePackage,
  tarballs: ReadonlyMap<string, string>,
  overrides: Record<string, string>,
): string {
  const dependencies = Object.fromEntries(
    [...tarballs].sort(([a], [b]) => a.localeCompare(b)).map(([name, file]) => [name, `file:packages/${file}`]),
  );
  const pkg = {
    name: 'provisio-bundle',
    version: server.version,
    private: true,
    description: 'Provisio, ready to run: bin/provisio serve --config provisio.config.yaml',
    license: 'Apache-2.0',
    type: 'module',
    engines: { node: '>=22' },
    scripts: { start: 'bin/provisio serve' },
    dependencies,
    overrides,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** POSIX sh, so it works as a systemd ExecStart and a container CMD; runs the Node on PATH unless NODE names one. */
export const START_SCRIPT = `#!/bin/sh
# Starts the bundled Provisio CLI: bin/provisio serve --config FILE (see README.md).
# NODE may name the node binary (Node.js 22 or newer); else the one on PATH.
set -e
bundle_dir=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
exec "\${NODE:-node}" "$bundle_dir/node_modules/@provisio/server/dist/cli.js" "$@"
`;

/** The sample manifest: SQLite beside it, the in-memory connector, nothing external and no secret needed to start. */
export const SAMPLE_MANIFEST = `# A starting point: provisio serve --config provisio.config.yaml
# (without --config, ./provisio.config.yaml in the working folder is used).
# Starts with no credentials and reaches nothing outside this machine: data in
# ./data (SQLite, relative to this file), one in-memory connector. Add SCIM and
# admin credentials to use the APIs; the repository's README describes every field.
server:
  host: 127.0.0.1          # 0.0.0.0 to listen on every interface (as in a container)
  port: 8080               # PORT overrides
  logLevel: info

store:
  type: sqlite
  path: data/provisio.db
  # type: postgres
  # url: "\${env:DATABASE_URL}"

# inbound:
#   scim:
#     auth:
#       bearer: [{ name: hr, token: "\${env:PROVISIO_SCIM_TOKEN}" }]
# admin:
#   auth:
#     bearer: [{ name: ops, token: "\${env:PROVISIO_ADMIN_TOKEN}" }]

connectors:
  - id: journal
    type: memory             # keeps what it is sent in memory; replace with scim2, salesforce or google
`;

export function bundleReadme(server: WorkspacePackage, packages: readonly WorkspacePackage[]): string {
  return `# Provisio ${server.version}, bundled

A self-contained Provisio: the server and its built-in connector plugins
(${packages
    .filter((p) => p.name.startsWith('@provisio/connector-'))
    .map((p) => `\`${p.name}\``)
    .join(', ')})
with their production dependencies in \`node_modules\`. Needs **Node.js 22 or
newer** (24 recommended) on the same OS and CPU as the machine that built it
(\`better-sqlite3\` ships a native module).

\`\`\`
bin/provisio serve --config provisio.config.yaml   # http://127.0.0.1:8080/healthz, /readyz
bin/provisio validate --config provisio.config.yaml
bin/provisio --help
\`\`\`

- \`bin/provisio\`: the \`provisio\` CLI (\`NODE=/path/to/node\` picks the Node binary).
- \`provisio.config.yaml\`: a sample manifest (SQLite in \`./data\`, an in-memory connector).
- \`packages/\`: the tarballs the \`@provisio/*\` packages were installed from;
  with \`package.json\` and \`package-lock.json\`, \`npm ci --omit=dev\` here
  reinstalls the same versions (for example on another platform).

Signals: SIGTERM/SIGINT stop gracefully; SIGHUP reloads the manifest. Third-party
plugins: \`npm install <plugin>\` in this folder, then name it under \`plugins\`.
Dockerfile, docker-compose.yml and a systemd unit: \`deploy/\` in the repository.
`;
}
