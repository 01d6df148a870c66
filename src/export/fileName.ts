import type { TargetName } from './text';

/** The file name an export is saved under by default: `petstore.nginx.conf`. */
export function defaultFileName(specPath: string, target: TargetName): string {
  const base = (specPath.split(/[\\/]/).pop() ?? 'api').replace(/\.(ya?ml|json)$/i, '');
  return `${base}.${target === 'kong' ? 'kong.yaml' : target === 'nginx' ? 'nginx.conf' : 'haproxy.cfg'}`;
}
