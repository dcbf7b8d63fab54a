import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Examples import the package by name, as users do; tsconfig.json "paths" maps the same for tsc and tsx.
  resolve: {
    alias: [
      {
        find: /^otel-cloudtrail-lake\/core$/,
        replacement: fileURLToPath(new URL('./src/core/index.ts', import.meta.url)),
      },
      {
        find: /^otel-cloudtrail-lake\/emulator$/,
        replacement: fileURLToPath(new URL('./src/emulator/index.ts', import.meta.url)),
      },
      {
        find: /^otel-cloudtrail-lake\/bridge$/,
        replacement: fileURLToPath(new URL('./src/bridge/index.ts', import.meta.url)),
      },
      {
        find: /^otel-cloudtrail-lake$/,
        replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers and child processes; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Suite-wide secret check: every test file's diagnostics are captured and scanned at the end.
    setupFiles: ['test/setup/capture-diag.ts'],
    globalSetup: ['test/setup/scan-secrets.ts'],
    coverage: { provider: 'v8', include: ['src/**'], exclude: ['src/**/index.ts'] },
  },
});
