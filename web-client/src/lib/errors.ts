import type { CombinedError } from '@urql/core';

/** ErrorCode is every extensions.code the API returns, plus NETWORK for a transport failure. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'UNAVAILABLE'
  | 'SOLD_OUT'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'NETWORK'
  | 'UNKNOWN';

/** SelectionRef is a choice named in a reason or a fix. */
export interface SelectionRef {
  group: string;
  option?: string | null;
  text?: string | null;
}

/** FixStep is one change the server proposes to resolve a conflict. */
export interface FixStep {
  group: string;
  from?: string | null;
  to?: string | null;
  message: string;
}

/** ReasonInfo is why an option is excluded. */
export interface ReasonInfo {
  message: string;
  selections: SelectionRef[];
}

/** ApiError is a GraphQL or network error reduced to what the UI needs. */
export interface ApiError {
  code: ErrorCode;
  /** The server's message (already in the customer's words for BAD_USER_INPUT). */
  serverMessage: string;
  field?: string;
  reasons: ReasonInfo[];
  fix: FixStep[];
  currentVersion?: number;
}

const KNOWN: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'CONFLICT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UNAVAILABLE',
  'SOLD_OUT',
  'RATE_LIMITED',
  'INTERNAL',
]);

// gqlgen's built-in validation codes: the request itself was wrong, i.e. a client bug.
const VALIDATION = new Set(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function asSelections(v: unknown): SelectionRef[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((s) => ({
    group: String(s.group ?? ''),
    option: typeof s.option === 'string' && s.option !== '' ? s.option : null,
    text: typeof s.text === 'string' && s.text !== '' ? s.text : null,
  }));
}

/** parseExtensions reads one GraphQL error's message and extensions into an ApiError. */
export function parseGraphQLError(message: string, extensions: unknown): ApiError {
  const ext = isRecord(extensions) ? extensions : {};
  const raw = typeof ext.code === 'string' ? ext.code : '';
  const code: ErrorCode = KNOWN.has(raw)
    ? (raw as ErrorCode)
    : VALIDATION.has(raw)
      ? 'INTERNAL'
      : 'UNKNOWN';
  const reasons = Array.isArray(ext.reasons)
    ? ext.reasons.filter(isRecord).map((r) => ({
        message: String(r.message ?? ''),
        selections: asSelections(r.selections),
      }))
    : [];
  const fix = Array.isArray(ext.fix)
    ? ext.fix.filter(isRecord).map((f) => ({
        group: String(f.group ?? ''),
        from: typeof f.from === 'string' && f.from !== '' ? f.from : null,
        to: typeof f.to === 'string' && f.to !== '' ? f.to : null,
        message: String(f.message ?? ''),
      }))
    : [];
  return {
    code,
    serverMessage: message,
    field: typeof ext.field === 'string' ? ext.field : undefined,
    reasons,
    fix,
    currentVersion: typeof ext.currentVersion === 'number' ? ext.currentVersion : undefined,
  };
}

/** toApiError reduces urql's CombinedError to its first meaningful error. */
export function toApiError(error: CombinedError): ApiError {
  if (error.graphQLErrors.length > 0) {
    const first = error.graphQLErrors[0];
    return parseGraphQLError(first.message, first.extensions);
  }
  const status = (error.response as { status?: number } | undefined)?.status;
  if (status === 429) return { code: 'RATE_LIMITED', serverMessage: '', reasons: [], fix: [] };
  if (status === 503 || status === 502 || status === 504)
    return { code: 'UNAVAILABLE', serverMessage: '', reasons: [], fix: [] };
  return { code: 'NETWORK', serverMessage: error.networkError?.message ?? '', reasons: [], fix: [] };
}

/** Context is where an error happened; a few codes read differently per place. */
export type ErrorContext = 'configure' | 'checkout' | 'order' | 'designer' | 'workshop' | 'catalog';

/** messageFor is the sentence a person sees for an error. */
export function messageFor(err: ApiError, context: ErrorContext = 'configure'): string {
  switch (err.code) {
    case 'BAD_USER_INPUT':
      return err.serverMessage || 'Please check the highlighted details and try again.';
    case 'CONFLICT':
      return 'This strap was changed in another window. We have loaded the latest version — please make your choice again.';
    case 'NOT_FOUND':
      if (context === 'configure')
        return 'We could not find this configuration. Share links expire after a while of inactivity — you can start a new one below.';
      if (context === 'order')
        return 'We could not find this order. Please check the link in your confirmation e-mail.';
      return 'We could not find what you were looking for.';
    case 'UNAUTHENTICATED':
      if (context === 'order')
        return 'This order can only be followed from the device it was placed on, or with its private link.';
      if (context === 'designer' || context === 'workshop') return 'Your sign-in token was not accepted. Please sign in again.';
      return 'Please sign in to continue.';
    case 'FORBIDDEN':
      if (context === 'designer' || context === 'workshop')
        return `Your staff role does not allow this. Ask the atelier for a ${context} token.`;
      return 'You do not have access to this.';
    case 'UNAVAILABLE':
      return 'The workshop is briefly unavailable. We are retrying — your choices are safe.';
    case 'SOLD_OUT':
      return 'This limited edition has just sold out. We are sorry — no deposit was taken.';
    case 'RATE_LIMITED':
      return 'That was a lot of changes at once. Please wait a few seconds and try again.';
    case 'INTERNAL':
      return 'Something went wrong on our side. Please try again in a moment.';
    case 'NETWORK':
      return 'We cannot reach the workshop. Check your connection — we will keep trying.';
    default:
      return err.serverMessage || 'Something unexpected happened. Please try again.';
  }
}

/** isRetryable says whether repeating the same request may succeed without any change. */
export function isRetryable(err: ApiError): boolean {
  return err.code === 'UNAVAILABLE' || err.code === 'NETWORK';
}
