export {
  compilePattern,
  DEFAULT_TENANT_DOMAIN,
  DEFAULT_USER_STORE_DOMAIN,
  PATTERN_ENTRIES,
  type CompiledPattern,
  type CompilePatternOptions,
  type PatternEntry,
  type PatternInput,
} from './provisioning-pattern.js';
export { ProvisioningPatternError } from './provisioning-pattern-error.js';
