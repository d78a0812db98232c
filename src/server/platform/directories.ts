import fs from 'node:fs';
import path from 'node:path';

import { ConfigError } from './config-error.js';

/**
 * Creates a folder and its missing parents, one level at a time. Node 20's recursive
 * `mkdirSync` loops forever on some paths (for example under /proc), so it is not used.
 * @throws ConfigError naming the folder and the reason when it cannot be created.
 */
export function ensureDirectory(directory: string): void {
  const missing: string[] = [];
  let current = path.resolve(directory);

  while (!fs.existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) {
      break;
    }
    current = parent;
  }

  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ConfigError([`PICKET_DATA_DIR: cannot create the folder ${folder} (${reason})`]);
    }
  }

  if (!fs.statSync(directory).isDirectory()) {
    throw new ConfigError([`PICKET_DATA_DIR: ${directory} is not a folder`]);
  }
}
