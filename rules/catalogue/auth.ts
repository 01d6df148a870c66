import auth401Response from '../functions/auth401Response';
import authInsecureTransport from '../functions/authInsecureTransport';
import authNoCredentialsInQuery from '../functions/authNoCredentialsInQuery';
import authOperationSecured from '../functions/authOperationSecured';
import authSchemeUndefined from '../functions/authSchemeUndefined';
import authSchemesDefined from '../functions/authSchemesDefined';
import type { RuleSpec } from './types';

export const AUTH_RULES: Record<string, RuleSpec> = {
  'auth-schemes-defined': {
    description: 'An API with operations defines at least one security scheme.',
    severity: 'error',
    fn: authSchemesDefined,
  },
  'auth-scheme-undefined': {
    description: 'Security requirements name only defined security schemes.',
    severity: 'error',
    fn: authSchemeUndefined,
  },
  'auth-operation-secured': {
    // warn for reads; findings on write operations (POST, PUT, PATCH, DELETE) default to error.
    description: 'Every operation requires credentials unless it marks itself public with `security: []` (OPTIONS, the CORS preflight, excepted).',
    severity: 'warn',
    fn: authOperationSecured,
  },
  'auth-401-response': {
    description: 'Operations that take credentials document 401; those that require OAuth2/OpenID Connect scopes also document 403, and those signed with AWS Signature Version 4 document 403 instead of 401.',
    severity: 'warn',
    fn: auth401Response,
  },
  'auth-no-credentials-in-query': {
    description: 'API keys are not sent in the query string.',
    severity: 'error',
    fn: authNoCredentialsInQuery,
  },
  'auth-insecure-transport': {
    description: 'Operations that take credentials are not served over plain HTTP (localhost excepted).',
    severity: 'warn',
    fn: authInsecureTransport,
  },
};
