export { ADMIN_ROUTES, type AdminRouteName } from './admin-routes.js';
export { COMPONENT_SCHEMAS } from './components.js';
export { adminOpenApiDocument, type JsonSchema, type OpenApiDocument } from './openapi-document.js';
export {
  JSON_MEDIA_TYPE,
  NDJSON_MEDIA_TYPE,
  route,
  json,
  type AdminResponse,
  type AdminRoute,
  type MediaType,
  type ParsedInput,
} from './route-table.js';
export { ENTITY_TYPES, ErrorBody } from './schemas/common.js';
export { ATTEMPT_OUTCOMES, ERROR_KINDS, JOB_ACTIONS, JOB_STATUSES } from './schemas/job-schemas.js';
export { LINK_STATUSES } from './schemas/identity-schemas.js';
export type * from './types.js';
