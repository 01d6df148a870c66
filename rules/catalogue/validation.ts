import validate from '../functions/validate';
import type { RuleSpec } from './types';

export const VALIDATION_RULES: Record<string, RuleSpec> = {
  validate: {
    description: 'The document is a valid OpenAPI 2.0, 3.0, 3.1 or 3.2 document (official JSON Schema and Swagger 2.0 spec checks).',
    severity: 'error',
    fn: validate,
  },
};
