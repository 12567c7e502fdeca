// API Extractor reports of every published package (packages/<name>/api/<name>.api.md), from the
// built .d.ts, in one process and one TypeScript program. `--update` rewrites the reports; without
// it a report that differs from the checked-in one fails, so a public API change is always reviewed.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import apiExtractor, { type ExtractorMessage, type IConfigFile } from '@microsoft/api-extractor';
import { publishedPackages, type PublishedPackage } from './published-packages.ts';

const { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel } = apiExtractor;
const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const update = process.argv.includes('--update');
const QUIET_MESSAGES = new Set<string>([
  'console-api-report-not-copied',
  'console-api-report-copied',
  'console-api-report-unchanged',
  'console-api-report-created',
  'console-preamble',
  'console-compiler-version-notice',
]);

function configFor(pkg: PublishedPackage): IConfigFile {
  // @provisio/core -> core.api.md, @provisio/core/engine -> core-engine.api.md.
  const unscoped = pkg.name.replace(/^@[^/]+\//, '').replaceAll('/', '-');
  return {
    projectFolder: pkg.folder,
    mainEntryPointFilePath: pkg.typesFile,
    compiler: {
      // The built declarations only; the packages' own tsconfigs compile sources.
      overrideTsconfig: {
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: [pkg.typesFile],
      },
    },
    apiReport: {
      enabled: true,
      reportFileName: `${unscoped}.api.md`,
      reportFolder: join(pkg.folder, 'api'),
      reportTempFolder: join(workspaceRoot, 'tmp', 'api-report', unscoped),
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    newlineKind: 'lf',
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning },
        // Release tags (@public/@beta) are not a convention here: the entry point is the API.
        'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
        // A type reachable from the API but not exported is part of the contract: the report shows it.
        'ae-forgotten-export': { logLevel: ExtractorLogLevel.None, addToApiReportFile: true },
        // Most declarations carry no doc comment; the report is for review, not for documentation.
        'ae-undocumented': { logLevel: ExtractorLogLevel.None },
      },
      // Comments are prose, not TSDoc.
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
    },
  };
}

function main(): number {
  const packages = publishedPackages(workspaceRoot);
  const unbuilt = packages.filter((pkg) => !existsSync(pkg.typesFile));
  if (unbuilt.length > 0) {
    process.stderr.write(`api-report: build first, missing ${unbuilt.map((pkg) => pkg.typesFile).join(', ')}\n`);
    return 1;
  }
  const configs = packages.map((pkg) =>
    ExtractorConfig.prepare({
      configObject: configFor(pkg),
      configObjectFullPath: undefined,
      packageJsonFullPath: join(pkg.folder, 'package.json'),
    }),
  );
  // One program over every entry point: each package's declarations are parsed once, not once per report.
  const compilerState = CompilerState.create(configs[0], { additionalEntryPoints: packages.map((pkg) => pkg.typesFile) });
  if (update) for (const pkg of packages) mkdirSync(join(pkg.folder, 'api'), { recursive: true });
  const failed: string[] = [];
  const changed: string[] = [];
  packages.forEach((pkg, index) => {
    const result = Extractor.invoke(configs[index], {
      localBuild: update,
      printApiReportDiff: !update,
      compilerState,
      messageCallback: (message: ExtractorMessage) => {
        // API Extractor's own "report changed" notice is replaced by the summary below.
        // So is the notice that it analyses with its bundled TypeScript (declarations need no newer one).
        if (QUIET_MESSAGES.has(message.messageId)) message.handled = true;
      },
    });
    if (result.apiReportChanged) changed.push(pkg.name);
    if (!result.succeeded && !(result.apiReportChanged && result.errorCount === 0)) failed.push(pkg.name);
  });
  if (failed.length > 0) {
    process.stderr.write(`api-report: API Extractor reported errors for ${failed.join(', ')}\n`);
    return 1;
  }
  if (changed.length > 0 && !update) {
    process.stderr.write(
      `api-report: the public API of ${changed.join(', ')} differs from its checked-in report (packages/<name>/api/*.api.md).\n` +
        `If the change is intended, run \`npm run api:update\` and commit the report; the new one is in tmp/api-report/.\n`,
    );
    return 1;
  }
  process.stdout.write(
    `api-report: ${packages.length} entry points, ${update ? `${changed.length} report(s) updated` : 'all reports match'}\n`,
  );
  return 0;
}

process.exitCode = main();
