/** Browser storage, tolerant of private modes where it throws. */

const ORDER_TOKEN = 'atelier.orderToken.';
const STAFF_TOKEN = 'atelier.staffToken';
const CHECKOUT_KEY = 'atelier.checkout.';

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** orderToken is the customer's token for an order, kept on this device. */
export function orderToken(orderId: string): string | null {
  return safe(() => localStorage.getItem(ORDER_TOKEN + orderId), null);
}

/** saveOrderToken keeps an order's token for the order page. */
export function saveOrderToken(orderId: string, token: string): void {
  safe(() => localStorage.setItem(ORDER_TOKEN + orderId, token), undefined);
}

/** staffToken is the designer/workshop token of this tab's session. */
export function staffToken(): string | null {
  return safe(() => sessionStorage.getItem(STAFF_TOKEN), null);
}

/** setStaffToken signs in (a token) or out (null). */
export function setStaffToken(token: string | null): void {
  safe(() => (token ? sessionStorage.setItem(STAFF_TOKEN, token) : sessionStorage.removeItem(STAFF_TOKEN)), undefined);
}

/**
 * checkoutKey is the idempotency key of a checkout attempt: one per configuration version,
 * kept across retries and reloads so a repeated placeOrder never orders twice.
 */
export function checkoutKey(configurationId: string, version: number, make: () => string): string {
  const k = `${CHECKOUT_KEY}${configurationId}.${version}`;
  const existing = safe(() => sessionStorage.getItem(k), null);
  if (existing) return existing;
  const fresh = make();
  safe(() => sessionStorage.setItem(k, fresh), undefined);
  return fresh;
}

/** uuid is a random UUID v4 (crypto.randomUUID needs a secure context). */
export function uuid(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' && globalThis.isSecureContext !== false) {
    return crypto.randomUUID();
  }
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** privateLinkHref is the order page's address that opens it on any device: the token rides in
 * the fragment, which browsers never send to a server. */
export function privateLinkHref(orderId: string, token: string): string {
  return `/orders/${encodeURIComponent(orderId)}#key=${encodeURIComponent(token)}`;
}

/**
 * privateLinkFromHash reads an order page's fragment: `#key=TOKEN` (a private link) is kept as
 * the order's token on this device; `#signin=SECRET` (a one-time "find my order" link) is
 * returned to be redeemed; `pay=1` asks for the payment form.
 */
export function privateLinkFromHash(orderId: string, hash: string): { signIn?: string; pay: boolean } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const key = params.get('key');
  if (key) saveOrderToken(orderId, key);
  return { signIn: params.get('signin') ?? undefined, pay: params.get('pay') === '1' };
}

const DESTINATION = 'atelier.destination';

/** rememberedDestination is the country the customer last shipped to on this device. */
export function rememberedDestination(): string | null {
  return safe(() => localStorage.getItem(DESTINATION), null);
}

/** rememberDestination keeps the chosen destination country for the next configuration. */
export function rememberDestination(country: string): void {
  safe(() => localStorage.setItem(DESTINATION, country), undefined);
}

const BAG_ID = 'atelier.bag';

/** bagId is this device's bag, if it has one (the bag page's URL carries it too). */
export function bagId(): string | null {
  return safe(() => localStorage.getItem(BAG_ID), null);
}

/** saveBagId remembers the bag of this device; null forgets it (after checkout). */
export function saveBagId(id: string | null): void {
  safe(() => (id ? localStorage.setItem(BAG_ID, id) : localStorage.removeItem(BAG_ID)), undefined);
}
