// The generated package's own plugin entry and README: the example's (examples/rest-directory-connector)
// say more, since it also binds a mapping function and an HTTP route. Its other files come from the example.
import type { ConnectorNames } from '../connector-names.ts';

export function indexSource(n: ConnectorNames): string {
  return `import { definePlugin } from '@provisio/core';
import { ${n.camel}Connector } from './${n.type}-connector.js';

export { ${n.camel}Connector, ${n.pascal}Connector } from './${n.type}-connector.js';
export { ${n.camel}ConfigSchema, type ${n.pascal}Config } from './${n.type}-config.js';

export default definePlugin({ name: '${n.packageName}', connectors: [${n.camel}Connector] });
`;
}

export function readmeSource(n: ConnectorNames): string {
  return `# ${n.packageName}

A [Provisio](https://github.com/) connector plugin: connector type \`${n.type}\` provisions users to ${n.title}.

## Use it

\`\`\`sh
npm install ${n.packageName}
\`\`\`

\`\`\`yaml
# provisio.config.yaml
plugins:
  - ${n.packageName}
connectors:
  - id: ${n.type}
    type: ${n.type}
    config:
      baseUrl: https://${n.type}.example.com/api
      apiToken: "\${env:${n.type.toUpperCase().replace(/-/g, '_')}_TOKEN}"   # secret: masked and scrubbed from logs
\`\`\`

## Develop it

| file | what it is |
|---|---|
| \`src/${n.type}-config.ts\` | zod schema of the instance config; \`apiToken\` is secret |
| \`src/${n.type}-client.ts\` | the ${n.title} API over core's HTTP client (\`ctx.http.client\`: token, timeout, Retry-After, secret scrubbing) |
| \`src/${n.type}-errors.ts\` | the statuses ${n.title} means differently from core's usual reading (\`HttpStatusClassifier\`) |
| \`src/${n.type}-connector.ts\` | \`defineConnector(...)\` and the \`OutboundConnector\`, with the read side (\`listUsers\` page by page, \`getUser\`) |
| \`src/index.ts\` | the plugin: \`definePlugin({ name, connectors })\` |
| \`test/${n.type}-emulator.ts\` | a loopback emulator of the API (node:http) with fault injection |
| \`test/${n.type}.conformance.spec.ts\` | \`@provisio/connector-testkit\` against the emulator |

\`\`\`sh
npm install
npm run build && npm run lint && npm test
npm pack          # a tarball users can npm install
\`\`\`

Replace the emulator's routes and the client with your API's; keep the conformance test green.
`;
}
