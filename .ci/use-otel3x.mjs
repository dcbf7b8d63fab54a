// Rewrites the copy of the tree for the OTel JS 3.x line (Node >= 22.15): one place that names those versions.
// The 3.x line moved the logs API (`logs`, `Logger`, `SeverityNumber`) from @opentelemetry/api-logs into
// @opentelemetry/api 1.10, so the examples get the one-line import change a 3.x user makes (see README).
import { existsSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const OTEL_3X = {
  '@opentelemetry/api': '1.10.0',
  '@opentelemetry/sdk-logs': '^3.1.1',
  '@opentelemetry/core': '^3.1.1',
  '@opentelemetry/resources': '^3.1.1',
  '@opentelemetry/sdk-metrics': '^3.1.1',
  '@opentelemetry/sdk-node': '^0.301.0',
  '@opentelemetry/exporter-logs-otlp-grpc': '^0.301.0',
  '@opentelemetry/exporter-logs-otlp-http': '^0.301.0',
  '@opentelemetry/exporter-logs-otlp-proto': '^0.301.0',
  '@opentelemetry/otlp-transformer': '^0.301.0',
  '@opentelemetry/instrumentation-pino': 'latest',
};

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
for (const section of ['dependencies', 'devDependencies']) {
  for (const name of Object.keys(pkg[section] ?? {})) {
    if (name in OTEL_3X) pkg[section][name] = OTEL_3X[name];
  }
  delete pkg[section]?.['@opentelemetry/api-logs'];
}
writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
rmSync('package-lock.json', { force: true });

// README and docs snippets are copies of example regions, so they change with them.
const sources = readdirSync('examples', { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => join(entry.parentPath, entry.name));
const docs = (existsSync('docs') ? readdirSync('docs', { withFileTypes: true }) : [])
  .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
  .map((entry) => join('docs', entry.name));
for (const file of [...sources, 'README.md', ...docs]) {
  const source = readFileSync(file, 'utf8');
  const rewritten = source.replaceAll("'@opentelemetry/api-logs'", "'@opentelemetry/api'");
  if (rewritten !== source) writeFileSync(file, rewritten);
}
