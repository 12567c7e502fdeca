/**
 * Plugins the server always loads, from its own dependencies. Third-party ones
 * are added by name in the manifest's `plugins`. Keep this list in step with
 * the app's `implicitDependencies` in project.json (the Nx graph cannot see
 * packages loaded by name).
 */
export const BUILTIN_PLUGINS: readonly string[] = [
  '@provisio/connector-memory',
  '@provisio/connector-scim',
  '@provisio/connector-salesforce',
  '@provisio/connector-google',
];
