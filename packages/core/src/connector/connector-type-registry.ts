import { injectable, multiInject } from 'inversify';
import { TOKENS } from '../di/tokens.js';
import type { ConnectorDefinition } from './define-connector.js';

/** Where a connector type came from, for messages like "unknown type; loaded: ...". */
export interface ConnectorTypeSummary {
  type: string;
  displayName: string;
  plugin: string;
}

/**
 * Every connector type contributed by the loaded plugins, gathered by
 * multi-injection. Built once after all plugins are bound and never changes
 * afterwards: the registry is locked before the server starts.
 */
@injectable()
export class ConnectorTypeRegistry {
  private readonly byType = new Map<string, ConnectorDefinition>();
  private readonly pluginOf = new Map<string, string>();

  constructor(@multiInject(TOKENS.ConnectorDefinition) definitions: ConnectorDefinition[]) {
    for (const definition of definitions) {
      const plugin = pluginNameOf(definition);
      const existing = this.pluginOf.get(definition.type);
      if (existing !== undefined) {
        throw new Error(
          `connector type "${definition.type}" is contributed by both "${existing}" and "${plugin}"; remove one of the plugins`,
        );
      }
      this.byType.set(definition.type, definition);
      this.pluginOf.set(definition.type, plugin);
    }
    Object.freeze(this);
  }

  get(type: string): ConnectorDefinition | undefined {
    return this.byType.get(type);
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  list(): ConnectorTypeSummary[] {
    return this.types().map((type) => {
      const definition = this.byType.get(type) as ConnectorDefinition;
      return { type, displayName: definition.displayName, plugin: this.pluginOf.get(type) as string };
    });
  }
}

/** The container builder stamps each definition with its plugin's name (see container-builder.ts). */
export const PLUGIN_NAME = Symbol.for('provisio.pluginName');

function pluginNameOf(definition: ConnectorDefinition): string {
  return (definition as unknown as Record<symbol, string | undefined>)[PLUGIN_NAME] ?? 'unknown plugin';
}
