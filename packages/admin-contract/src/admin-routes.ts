import { AuditPage, OpenApiDocument, Session, Throughput } from './schemas/activity-schemas.js';
import { ErrorBody } from './schemas/common.js';
import {
  ConnectorDetail,
  ConnectorList,
  HealthReport,
  Preview,
  ProvisionResult,
  ImportProgressLine,
  ReconcileProgressLine,
  ReconcileResult,
  TargetReport,
  TargetReportList,
} from './schemas/connector-schemas.js';
import { GroupDetail, GroupList, LinkList, UserDetail, UserList } from './schemas/identity-schemas.js';
import { Job, JobList, RetriedCount } from './schemas/job-schemas.js';
import {
  AuditQuery,
  IdentitySearchQuery,
  IdParams,
  ImportBody,
  JobsQuery,
  PreviewQuery,
  ProvisionBody,
  ReportsQuery,
  ThroughputQuery,
} from './schemas/request-schemas.js';
import { json, JSON_MEDIA_TYPE, NDJSON_MEDIA_TYPE, route } from './route-table.js';

/** Every /admin/v1 route: the server mounts these, the OpenAPI document and the console's types come from them. */
export const ADMIN_ROUTES = {
  openApi: route('openApi', {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document (no credentials needed)',
    authenticated: false,
    responses: { 200: json(OpenApiDocument) },
  }),
  session: route('session', {
    method: 'get',
    path: '/session',
    summary: 'The signed-in principal and whether it is read-only',
    responses: { 200: json(Session) },
  }),
  listConnectors: route('listConnectors', {
    method: 'get',
    path: '/connectors',
    summary: 'Connector instances with job counts by status',
    responses: { 200: json(ConnectorList) },
  }),
  getConnector: route('getConnector', {
    method: 'get',
    path: '/connectors/{id}',
    summary: 'One instance: settings with secrets masked, default and effective mapping, whether it offers a preview',
    params: IdParams,
    responses: { 200: json(ConnectorDetail) },
    notFound: 'No enabled connector instance with this id',
  }),
  previewUser: route('previewUser', {
    method: 'get',
    path: '/connectors/{id}/preview',
    summary: 'What a sync of one user would send to this instance now (mapping, defaults, pattern, link), without sending it',
    params: IdParams,
    query: PreviewQuery,
    responses: { 200: json(Preview) },
    notFound: 'No such instance, or no such user',
  }),
  provisionUser: route('provisionUser', {
    method: 'post',
    path: '/connectors/{id}/provision',
    summary: 'Provision one user to this instance now, through the pipeline; reports each step (waits up to 20 s for the attempt)',
    params: IdParams,
    body: ProvisionBody,
    responses: { 200: json(ProvisionResult) },
    notFound: 'No such instance, or no such user',
  }),
  checkConnector: route('checkConnector', {
    method: 'get',
    path: '/connectors/{id}/check',
    summary: 'Test connection (authenticate and read something cheap)',
    params: IdParams,
    responses: { 200: json(HealthReport, 'The target answers'), 503: json(HealthReport, 'The check failed') },
  }),
  reconcile: route('reconcile', {
    method: 'post',
    path: '/connectors/{id}/reconcile',
    summary: 'Re-plan every in-scope identity whose link is missing, failed or stale; deprovision linked ones out of scope',
    description:
      'With Accept: application/x-ndjson the progress streams as {"scanned":n} lines, then {"done":true,"scanned":n,"planned":m}.',
    params: IdParams,
    responses: {
      200: {
        description: 'Scanned and planned counts',
        content: { [JSON_MEDIA_TYPE]: ReconcileResult, [NDJSON_MEDIA_TYPE]: ReconcileProgressLine },
      },
    },
  }),
  importAccounts: route('importAccounts', {
    method: 'post',
    path: '/connectors/{id}/import',
    summary: 'Link the accounts the target already holds to local identities by the match rules; never writes to the target',
    description:
      'Works on a disabled instance too (import before enabling it). Dry run unless {"apply":true}. With Accept: application/x-ndjson the progress streams as {"phase","read","totalHint","written","perSecond","etaSeconds"} lines, then {"done":true,"report":{...}}; closing the connection stops the run (the report says aborted; run it again to continue). 409 while another import of the instance runs.',
    params: IdParams,
    body: ImportBody,
    responses: {
      200: { description: 'The stored report', content: { [JSON_MEDIA_TYPE]: TargetReport, [NDJSON_MEDIA_TYPE]: ImportProgressLine } },
      409: json(ErrorBody, 'An import of this instance is already running'),
      422: json(ErrorBody, 'The instance cannot read its target or has no match rules'),
    },
    notFound: 'No connector instance with this id',
  }),
  listImports: route('listImports', {
    method: 'get',
    path: '/connectors/{id}/imports',
    summary: 'Reports of the imports of an instance, newest first',
    params: IdParams,
    query: ReportsQuery,
    responses: { 200: json(TargetReportList) },
  }),
  retryFailed: route('retryFailed', {
    method: 'post',
    path: '/connectors/{id}/retry-failed',
    summary: 'Retry every failed job of an instance',
    params: IdParams,
    responses: { 200: json(RetriedCount) },
  }),
  throughput: route('throughput', {
    method: 'get',
    path: '/throughput',
    summary: 'Finished attempts per minute (succeeded, failed, retried), from the jobs’ attempt history',
    query: ThroughputQuery,
    responses: { 200: json(Throughput) },
  }),
  listJobs: route('listJobs', {
    method: 'get',
    path: '/jobs',
    summary: 'Jobs, newest first; running ones show their lease (claimedBy, leaseUntil)',
    query: JobsQuery,
    responses: { 200: json(JobList) },
  }),
  getJob: route('getJob', {
    method: 'get',
    path: '/jobs/{id}',
    summary: 'One job with its attempts',
    params: IdParams,
    responses: { 200: json(Job) },
  }),
  retryJob: route('retryJob', {
    method: 'post',
    path: '/jobs/{id}/retry',
    summary: 'Retry a failed job with a fresh attempt budget',
    params: IdParams,
    responses: { 200: json(Job), 409: json(ErrorBody, 'The job is not failed') },
  }),
  searchUsers: route('searchUsers', {
    method: 'get',
    path: '/users',
    summary: 'Search users (text in userName, displayName, emails, family name; or an exact id / externalId), each with its links',
    query: IdentitySearchQuery,
    responses: { 200: json(UserList) },
  }),
  getUser: route('getUser', {
    method: 'get',
    path: '/users/{id}',
    summary: 'One user: SCIM resource, groups, links and latest jobs',
    params: IdParams,
    responses: { 200: json(UserDetail) },
  }),
  userLinks: route('userLinks', {
    method: 'get',
    path: '/users/{id}/links',
    summary: 'Links of a user to every connector instance',
    params: IdParams,
    responses: { 200: json(LinkList) },
  }),
  searchGroups: route('searchGroups', {
    method: 'get',
    path: '/groups',
    summary: 'Search groups by displayName (or exact id / externalId), each with its links',
    query: IdentitySearchQuery,
    responses: { 200: json(GroupList) },
  }),
  getGroup: route('getGroup', {
    method: 'get',
    path: '/groups/{id}',
    summary: 'One group: members, links and latest jobs',
    params: IdParams,
    responses: { 200: json(GroupDetail) },
  }),
  groupLinks: route('groupLinks', {
    method: 'get',
    path: '/groups/{id}/links',
    summary: 'Links of a group',
    params: IdParams,
    responses: { 200: json(LinkList) },
  }),
  audit: route('audit', {
    method: 'get',
    path: '/audit',
    summary: 'Audit trail, newest first: who (scim:<name>, admin:<name>) changed what',
    query: AuditQuery,
    responses: { 200: json(AuditPage) },
  }),
};

export type AdminRouteName = keyof typeof ADMIN_ROUTES;
