export {
  compileMapping,
  type CompiledMapping,
  type CompileMappingOptions,
  type MappingDefault,
  type MappingRuleSpec,
} from './compile-mapping.js';
export { MappingError, type MappingIssue } from './mapping-error.js';
export { TRANSFORM_SIGNATURES } from './transforms.js';
export { PROVISIO_WSO2_EXTENSION_SCHEMA, WSO2_CLAIM_PATHS, WSO2_CLAIM_PREFIX } from './wso2-claims.js';
