// docs/configure-connectors.md, rendered from the zod schemas of the built-in
// connector types and of core's connector instance, plus the WSO2 reference table.
import { connectorInstanceSchema } from '@provisio/core/engine';
import type { BuiltInType } from './built-in-connectors.ts';
import { configFields, type ConfigFieldRow as FieldRow } from '@provisio/core';
import { wso2FieldFor, wso2Forms } from './wso2-reference.ts';
import { yamlListItem } from './yaml-lines.ts';

const cell = (text: string) =>
  text
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\n\s*/g, ' ');
const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);
const defaultCell = (value: unknown) => (value === undefined ? '' : code(JSON.stringify(value)));

/** Core's instance fields that carry no .describe() text of their own. */
const INSTANCE_FIELD_NOTES: Record<string, string> = {
  enabled: 'false: the instance is loaded and validated but receives no operations.',
  blockingTimeoutMs: 'With mode blocking: how long the inbound call waits for this instance.',
  groupMapping: 'Like mapping, for groups (remote field ← local group attribute).',
  'rateLimit.perSecond': 'Remote calls (or batch operations, where the target counts them) per second, shared by every worker.',
  'rateLimit.burst': 'Calls allowed at once above the steady rate (default: perSecond).',
  'retry.maxAttempts': 'Attempts before a transient failure becomes failed (retryable by hand).',
  'retry.baseDelayMs': 'First retry delay; doubled each attempt, with jitter, never sooner than Retry-After.',
  'retry.maxDelayMs': 'Longest delay between two attempts.',
};

/** Top-level rows first, then each union variant's rows under its own heading row. */
function inReadingOrder(rows: FieldRow[]): FieldRow[] {
  return [...rows.filter((row) => !row.variant), ...rows.filter((row) => row.variant)];
}

function fieldTable(unordered: FieldRow[], wso2?: (row: FieldRow) => string): string[] {
  const rows = inReadingOrder(unordered);
  const header = ['field', 'type', 'required', 'default', 'secret', 'description', ...(wso2 ? ['WSO2 field (sample value)'] : [])];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  let variant: string | undefined;
  for (const row of rows) {
    if (row.variant !== variant && row.variant) lines.push(`| *when ${cell(row.variant)}* | | | | | |${wso2 ? ' |' : ''}`);
    variant = row.variant;
    const cells = [
      code(row.path),
      cell(row.type),
      row.required ? 'yes' : '',
      defaultCell(row.default),
      row.secret ? '**secret**' : '',
      cell(row.description ?? ''),
    ];
    if (wso2) cells.push(wso2(row));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

function wso2Cell(type: string): (row: FieldRow) => string {
  return (row) => {
    const field = wso2FieldFor(type, row.path, row.variant);
    return field ? `${cell(field.label)} (${code(field.sample)})` : '';
  };
}

function connectorSection({ plugin, definition }: BuiltInType): string[] {
  const rows = configFields(definition.configSchema, definition.secretFields);
  const lines = [`## \`${definition.type}\`: ${definition.displayName}`, ''];
  if (definition.description) lines.push(definition.description, '');
  lines.push(`Plugin \`${plugin}\` (built in: no \`plugins:\` entry needed). Groups: ${definition.capabilities.groups ? 'yes' : 'no'}.`);
  if (definition.capabilities.batch) lines.push(`Batches of up to ${definition.capabilities.batch.maxOperations} operations.`);
  const { read } = definition.capabilities;
  if (read)
    lines.push(
      `Reads the target (see [the read side](write-a-connector.md#the-read-side)): users${read.groups ? ' and groups' : ''}, page by page.`,
    );
  if (definition.defaultMapping) {
    const mapping = Object.entries(definition.defaultMapping).map(
      ([remote, rule]) => `${code(remote)} ← ${code(typeof rule === 'string' ? rule : JSON.stringify(rule))}`,
    );
    lines.push(`Default mapping (used when the instance has no \`mapping\`): ${mapping.join(', ')}.`);
  }
  lines.push('', ...fieldTable(rows, wso2Forms.some((f) => f.types.includes(definition.type)) ? wso2Cell(definition.type) : undefined), '');
  const form = wso2Forms.find((f) => f.types.includes(definition.type));
  if (form && form.example['type'] === definition.type) {
    lines.push(
      `With the reference docs' sample values (WSO2 "${form.form}"; secrets by reference):`,
      '',
      '```yaml',
      'connectors:',
      ...yamlListItem(form.example, 2),
      '```',
      '',
    );
  }
  return lines;
}

/** Core's connector instance fields (config itself excluded: it is per type), each with a description. */
export function instanceFields(): FieldRow[] {
  return configFields(connectorInstanceSchema)
    .filter((row) => row.path !== 'config')
    .map((row) => ({ ...row, description: row.description ?? INSTANCE_FIELD_NOTES[row.path] }));
}

export function renderConfigureConnectors(types: BuiltInType[]): string {
  const lines = [
    "<!-- Generated by `npm run docs` (tools/docs-gen) from the connectors' zod schemas. Do not edit: change the schemas' .describe() texts or tools/docs-gen, then run `npm run docs`. -->",
    '',
    '# Configure connectors',
    '',
    'Every entry under `connectors:` in the manifest is one **connector instance**: the fields of the',
    "first table apply to every type; `config` is checked against the type's own schema (the tables",
    'below). `provisio connectors` lists the same fields for every loaded plugin, third-party ones',
    'included, and `provisio schema` writes the JSON Schema editors complete from.',
    '',
    '- **required**: must be given whenever its enclosing object (or variant) is; fields with a default never are.',
    '- **secret**: masked wherever a config is shown and scrubbed from every log line; give it by reference',
    '  (`${env:NAME}` or `${file:path}`), never inline.',
    '- *when `auth.flow: password`*: the fields after such a row belong to that variant of the union.',
    '- Coming from WSO2 Identity Server: the last column names the WSO2 form field and its sample value;',
    '  see [Migrating from WSO2 IS](migrating-from-wso2.md) for the fields that are not `config`.',
    '- **Reading the target** (for import and reconcile): every built-in type reads users and groups page by',
    "  page in the target's own paging. Page sizes are per type: Salesforce `queryBatchSize` (200 to 2,000),",
    '  Google `pageSize` (up to 500; `listScope` picks the whole customer or one domain), SCIM `pageSize`',
    "  (never above the service's `filter.maxResults`), memory `pageSize`. Accounts come back in the remote",
    '  field names the mapping writes.',
    '',
    '## Every connector instance',
    '',
    ...fieldTable(instanceFields()),
    '',
    'Mapping rules, transforms, claim URIs and the provisioning pattern: [the pipeline](pipeline.md#mapping-and-provisioning-pattern).',
    '',
  ];
  for (const type of types) lines.push(...connectorSection(type));
  return `${lines.join('\n').trimEnd()}\n`;
}
