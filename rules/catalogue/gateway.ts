import gatewayAnnotationValid from '../functions/gatewayAnnotationValid';
import type { RuleSpec } from './types';

/** The gateway annotations themselves (the rate limit's own checks are in the rate-limit family). */
export const GATEWAY_RULES: Record<string, RuleSpec> = {
  'gateway-annotation-valid': {
    description: 'x-gateway-* annotations other than the rate limit are known and well-formed (what the export refuses).',
    severity: 'error',
    fn: gatewayAnnotationValid,
  },
};
