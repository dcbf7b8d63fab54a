import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The desktop's "open this URL" command: `open` on macOS, `xdg-open` (freedesktop.org) elsewhere. */
export function browserOpener(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? 'open' : 'xdg-open';
}

async function findOnPath(command: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/**
 * Opens `url` in the desktop's browser, when the opener is installed; resolves to the opener's path,
 * or undefined without one (a server or a container). Never throws: the browser is a convenience.
 */
export async function openInBrowser(
  url: string,
  searchPath = process.env['PATH'] ?? '',
): Promise<string | undefined> {
  const opener = await findOnPath(browserOpener(), searchPath);
  if (opener === undefined) return undefined;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    return undefined;
  }
  return opener;
}
