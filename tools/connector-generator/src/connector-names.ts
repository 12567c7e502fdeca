// The spellings of one connector name: acme-directory → AcmeDirectory, acmeDirectory, Acme Directory, provisio-connector-acme-directory.
export interface ConnectorNames {
  /** kebab-case connector type and file prefix, e.g. "acme-directory". */
  type: string;
  pascal: string;
  camel: string;
  /** Words for prose and the display name, e.g. "Acme Directory". */
  title: string;
  packageName: string;
}

export function connectorNames(raw: string): ConnectorNames {
  const type = raw
    .trim()
    .replace(/^provisio-connector-/, '')
    .toLowerCase();
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(type))
    throw new Error(`"${raw}" is not a valid connector name: use kebab-case letters and digits, e.g. acme-directory`);
  const words = type.split('-').map((part) => part[0].toUpperCase() + part.slice(1));
  const pascal = words.join('');
  return {
    type,
    pascal,
    camel: pascal[0].toLowerCase() + pascal.slice(1),
    title: words.join(' '),
    packageName: `provisio-connector-${type}`,
  };
}
