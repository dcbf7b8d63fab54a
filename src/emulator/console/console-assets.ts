import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type * as esbuildTypes from 'esbuild';

/**
 * The console's static files. A built package ships them bundled next to this module in `app/`
 * (`npm run build:console`); a source checkout has only `app/main.ts`, which is bundled in memory with
 * esbuild (a development dependency) the first time it is asked for.
 */

/** The only files served, with their content types: nothing else under `/console/` can be read. */
export const CONSOLE_ASSET_TYPES = Object.freeze({
  'index.html': 'text/html; charset=utf-8',
  'styles.css': 'text/css; charset=utf-8',
  'main.js': 'text/javascript; charset=utf-8',
  'icon.svg': 'image/svg+xml',
} as const);

export type ConsoleAssetName = keyof typeof CONSOLE_ASSET_TYPES;

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
}

type EsbuildModule = typeof esbuildTypes;

const APP_DIR = new URL('./app/', import.meta.url);

async function exists(url: URL): Promise<boolean> {
  return stat(url).then(
    () => true,
    () => false,
  );
}

/** Bundles the app from source with the options of the `build:console` script in package.json. */
async function bundleFromSource(): Promise<Buffer> {
  let esbuild: EsbuildModule;
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new Error(
      'The console is not built: run `npm run build`, or install esbuild to bundle it from source.',
      { cause: error },
    );
  }
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('main.ts', APP_DIR))],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

async function loadAsset(name: ConsoleAssetName): Promise<Buffer> {
  const url = new URL(name, APP_DIR);
  if (name === 'main.js' && !(await exists(url))) return bundleFromSource();
  return readFile(url);
}

const cache = new Map<ConsoleAssetName, Promise<Buffer>>();

export function isConsoleAssetName(name: string): name is ConsoleAssetName {
  return Object.hasOwn(CONSOLE_ASSET_TYPES, name);
}

/** One asset, read (or bundled) once per process and then served from memory. */
export async function getConsoleAsset(name: ConsoleAssetName): Promise<ConsoleAsset> {
  let body = cache.get(name);
  if (body === undefined) {
    body = loadAsset(name);
    cache.set(name, body);
    // A failed load is retried on the next request rather than cached.
    body.catch(() => cache.delete(name));
  }
  return { body: await body, contentType: CONSOLE_ASSET_TYPES[name] };
}
