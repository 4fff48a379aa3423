import { isAbsolute, resolve as resolvePath } from 'node:path';

/** A config path made absolute against the config file's folder (an absolute one as it is). */
export function absolute(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolvePath(baseDir, path);
}
