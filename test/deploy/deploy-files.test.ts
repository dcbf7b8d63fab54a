// No container runtime runs here, so the Dockerfile, the compose example and the Kubernetes manifest are
// checked for consistency with the code instead: ports, paths, env names, flags, token and emulator
// files that the bridge and emulator accept, and grace periods longer than the drain deadline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { DEFAULTS } from '../../src/defaults.js';
import { REPO_ROOT } from '../cli/run-cli-process.js';

const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

/**
 * The env vars the project reads: the table of docs/configuration.md, which its own test keeps equal to
 * what the code reads. The AWS credential chain and the OTel diag level are read by the libraries.
 */
const DOCUMENTED = new Set(
  [...read('docs/configuration.md').matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]),
);
const READ_ELSEWHERE = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'OTEL_LOG_LEVEL',
  'NODE_ENV',
]);

function expectEnvNamesKnown(names: readonly string[]): void {
  for (const name of names) {
    if (!READ_ELSEWHERE.has(name)) expect(DOCUMENTED, `${name} is a documented env var`).toContain(name);
  }
}

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  stop_grace_period?: string;
}

const compose = parseYaml(read('deploy/compose/compose.yaml')) as {
  services: Record<string, ComposeService>;
};
const kubernetes = parseAllDocuments(read('deploy/kubernetes/bridge.yaml')).map(
  (doc) => doc.toJS() as Record<string, unknown>,
);
const deployment = kubernetes.find((doc) => doc['kind'] === 'Deployment') as {
  spec: { template: { spec: Record<string, unknown> & { containers: Array<Record<string, unknown>> } } };
};
const container = deployment.spec.template.spec.containers[0] as {
  args: string[];
  env: Array<{ name: string; value: string }>;
  ports: Array<{ containerPort: number }>;
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
  volumeMounts: Array<{ name: string; mountPath: string }>;
};
const dockerfile = read('Dockerfile');

describe('Dockerfile', () => {
  it("exposes the bridge's default ports and runs the package's CLI as a non-root user", () => {
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE .*\\b${DEFAULTS.bridgePort}\\b`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE .*\\b${DEFAULTS.bridgeGrpcPort}\\b`, 'm'));
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
    const bin = (pkg.bin['otel-cloudtrail-lake'] ?? '').replace(/^\.\//, '');
    expect(dockerfile).toContain(`node_modules/otel-cloudtrail-lake/${bin}`);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('keeps the spool on the declared volume', () => {
    const spool = /OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY=(\S+)/.exec(dockerfile)?.[1] ?? '';
    const volume = /^VOLUME \["(.+)"\]$/m.exec(dockerfile)?.[1] ?? '';
    expect(spool.startsWith(`${volume}/`)).toBe(true);
    expectEnvNamesKnown(['OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY']);
  });
});

describe('compose example', () => {
  const bridge = compose.services['bridge'] as ComposeService;

  it('sets only env vars the code reads, and mounts the spool where it points', () => {
    expectEnvNamesKnown(Object.keys(bridge.environment ?? {}));
    const spool = bridge.environment?.['OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY'];
    expect(bridge.volumes?.some((volume) => volume.endsWith(`:${spool}`))).toBe(true);
  });

  it('gives the bridge a stop grace period longer than its drain deadline', () => {
    const seconds = Number((bridge.stop_grace_period ?? '0s').replace(/s$/, ''));
    expect(seconds * 1000).toBeGreaterThan(DEFAULTS.bridgeDrainTimeoutMillis);
  });

  it("sends from the producers to the bridge's OTLP/HTTP and OTLP/gRPC ports", () => {
    const endpoints = Object.values(compose.services).flatMap((service) =>
      (service.command ?? []).filter((arg) => arg.startsWith('--otlp-endpoint=')),
    );
    expect(endpoints.sort()).toEqual([
      `--otlp-endpoint=bridge:${DEFAULTS.bridgeGrpcPort}`,
      `--otlp-endpoint=bridge:${DEFAULTS.bridgePort}`,
    ]);
  });

  it('points the bridge at the emulator port and channel the emulator serves', () => {
    const emulator = compose.services['emulator'] as ComposeService;
    const port = emulator.command?.[emulator.command.indexOf('--port') + 1];
    expect(bridge.environment?.['OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT']).toBe(`http://emulator:${port}`);
    const config = parseYaml(read('deploy/compose/emulator.yaml')) as {
      channels: Array<{ channelArn: string }>;
    };
    expect(config.channels.map((channel) => channel.channelArn)).toContain(
      bridge.environment?.['OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN'],
    );
  });
});

describe('Kubernetes example', () => {
  const env = Object.fromEntries(container.env.map((entry) => [entry.name, entry.value]));

  it('sets only env vars the code reads', () => {
    expectEnvNamesKnown(Object.keys(env));
  });

  it('serves the default ports and probes /healthz and /readyz', () => {
    expect(container.ports.map((port) => port.containerPort)).toEqual(
      expect.arrayContaining([DEFAULTS.bridgePort, DEFAULTS.bridgeGrpcPort]),
    );
    const service = kubernetes.find((doc) => doc['kind'] === 'Service') as {
      spec: { ports: Array<{ port: number }> };
    };
    expect(service.spec.ports.map((port) => port.port)).toEqual([
      DEFAULTS.bridgePort,
      DEFAULTS.bridgeGrpcPort,
    ]);
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
  });

  it('keeps the spool on the persistent volume and waits longer than the drain deadline', () => {
    const spoolMount = container.volumeMounts.find((mount) => mount.name === 'spool');
    expect(spoolMount?.mountPath).toBe(env['OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY']);
    const drainMillis = Number(
      env['OTEL_CLOUDTRAIL_LAKE_BRIDGE_DRAIN_TIMEOUT_MILLIS'] ?? DEFAULTS.bridgeDrainTimeoutMillis,
    );
    const grace = deployment.spec.template.spec['terminationGracePeriodSeconds'] as number;
    expect(grace * 1000).toBeGreaterThan(drainMillis);
  });
});
