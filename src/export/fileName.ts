import type { TargetName } from './text';

const FILE_ENDINGS: Record<TargetName, string> = { kong: 'kong.yaml', nginx: 'nginx.conf', haproxy: 'haproxy.cfg', 'envoy-gateway': 'envoy-gateway.yaml' };

/** The file name an export is saved under by default: `petstore.nginx.conf`. */
export function defaultFileName(specPath: string, target: TargetName): string {
  const base = (specPath.split(/[\\/]/).pop() ?? 'api').replace(/\.(ya?ml|json)$/i, '');
  return `${base}.${FILE_ENDINGS[target]}`;
}
