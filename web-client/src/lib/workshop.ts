import { minorUnitDigits } from './money';

/** QueueFilters are the workshop queue's filters as the page holds them. */
export interface QueueFilters {
  /** A status, 'ACTIVE' (not yet shipped, delivered or cancelled) or 'ALL'. */
  status: string;
  productId: string;
  /** YYYY-MM-DD, inclusive, in the viewer's zone. */
  from: string;
  to: string;
  /** Part of an order number or an e-mail address. */
  search: string;
}

/** The statuses an order can be in, in build order. */
export const ORDER_STATUSES = [
  'PLACED',
  'CONFIRMED',
  'PROOF_SENT',
  'REVISION_REQUESTED',
  'APPROVED',
  'MATERIALS',
  'CRAFTING',
  'FINISHING',
  'QUALITY_CHECK',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
] as const;

/** FINISHED are the statuses in which an order no longer waits for the workshop. */
export const FINISHED = ['SHIPPED', 'DELIVERED', 'CANCELLED'];

type Where = Record<string, unknown>;

function localDayStart(day: string, offsetDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  return new Date(+m[1], +m[2] - 1, +m[3] + offsetDays).toISOString();
}

/** queueWhere is the OrderWhereInput for every filter but the status (counts share it). */
export function queueWhere(f: Omit<QueueFilters, 'status'>): Where {
  const and: Where[] = [];
  if (f.productId) and.push({ hasProductWith: [{ id: f.productId }] });
  const from = f.from ? localDayStart(f.from) : null;
  if (from) and.push({ createdAtGTE: from });
  // "to" is inclusive: before the start of the next day.
  const to = f.to ? localDayStart(f.to, 1) : null;
  if (to) and.push({ createdAtLT: to });
  const q = f.search.trim();
  if (q) and.push({ or: [{ numberContainsFold: q }, { customerEmailContainsFold: q }, { customerNameContainsFold: q }] });
  return and.length ? { and } : {};
}

/** withStatus narrows a where to a status choice of the queue. */
export function withStatus(where: Where, status: string): Where {
  if (status === 'ALL') return where;
  const s = status === 'ACTIVE' ? { statusNotIn: FINISHED } : { status };
  const and = Array.isArray(where.and) ? (where.and as Where[]) : [];
  return { and: [...and, s] };
}

/** localDay is a date's calendar day in the viewer's zone, as YYYY-MM-DD. */
export function localDay(d: Date): string {
  const p = (n: number) => n.toString().padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * isOverdue: the order has not shipped and the last day of its promised ship window
 * (YYYY-MM-DD, a workshop calendar day) is behind us.
 */
export function isOverdue(order: { status: string; shipsLatest: string }, now: Date = new Date()): boolean {
  if (FINISHED.includes(order.status)) return false;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(order.shipsLatest)) return false;
  return localDay(now) > order.shipsLatest;
}

/**
 * parseAmount reads an amount typed in major units ("120", "120.5", "1,234.50") into minor
 * units, exactly (string arithmetic, no float). Null when it is not a positive amount with at
 * most the currency's minor digits.
 */
export function parseAmount(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const t = text.trim().replace(/[\s,]/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > digits) return null;
  const minor = Number(m[1] + frac.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor) || minor <= 0) return null;
  return minor;
}

/** formatAmountInput renders minor units for an amount field: 12050 USD → "120.50". */
export function formatAmountInput(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const s = Math.abs(minor).toString().padStart(digits + 1, '0');
  return digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
}

/** Moves are the lifecycle's next steps sorted into the workshop's actions. */
export interface Moves {
  /** Forward steps along the build. */
  forward: string[];
  /** QUALITY_CHECK → CRAFTING: the strap goes back to the bench. */
  sendBack: boolean;
  cancel: boolean;
}

/** movesFor sorts the API's allowedTransitions of an order in status. */
export function movesFor(status: string, allowed: readonly string[]): Moves {
  const rank = (s: string) => ORDER_STATUSES.indexOf(s as (typeof ORDER_STATUSES)[number]);
  const forward = allowed.filter((s) => s !== 'CANCELLED' && rank(s) > rank(status));
  return {
    forward,
    sendBack: allowed.some((s) => s !== 'CANCELLED' && rank(s) < rank(status)),
    cancel: allowed.includes('CANCELLED'),
  };
}

/** BALANCE_STATUSES are the statuses in which the API lets the workshop ask for the balance. */
export const BALANCE_STATUSES = ['CONFIRMED', 'PROOF_SENT', 'REVISION_REQUESTED', 'APPROVED', 'MATERIALS', 'CRAFTING', 'FINISHING', 'QUALITY_CHECK'];

/** canRequestBalance: the order is confirmed, not yet shipped, and something is still due. */
export function canRequestBalance(status: string, due: number): boolean {
  return due > 0 && BALANCE_STATUSES.includes(status);
}
