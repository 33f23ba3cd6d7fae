/** Money as the API sends it: an integer amount in minor units and an ISO 4217 currency. */
export interface MoneyLike {
  amount: number;
  currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale?: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale ?? 'en-US', { style: 'currency', currency });
    formatters.set(key, f);
  }
  return f;
}

/** minorUnitDigits is how many minor-unit digits a currency has (2 for USD, 0 for JPY). */
export function minorUnitDigits(currency: string): number {
  return formatter(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * formatMoney renders minor units for display. The integer is split into whole and fractional
 * parts as strings, so no float arithmetic ever touches an amount.
 */
export function formatMoney(money: MoneyLike, locale?: string): string {
  const digits = minorUnitDigits(money.currency);
  const negative = money.amount < 0;
  const abs = Math.abs(Math.trunc(money.amount)).toString().padStart(digits + 1, '0');
  const whole = digits ? abs.slice(0, -digits) : abs;
  const frac = digits ? abs.slice(-digits) : '';
  // Intl accepts decimal strings exactly (no binary rounding).
  const text = formatter(money.currency, locale).format(
    `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}` as unknown as number,
  );
  return text;
}

/** formatDelta renders an option's price delta: "+ $15.00", or "Included" for zero. */
export function formatDelta(money: MoneyLike, locale?: string): string {
  if (money.amount === 0) return 'Included';
  const sign = money.amount > 0 ? '+' : '−';
  return `${sign} ${formatMoney({ ...money, amount: Math.abs(money.amount) }, locale)}`;
}

/** formatBasisPoints renders a discount in basis points as a percentage: 500 → "5%". */
export function formatBasisPoints(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const rest = Math.abs(bp % 100);
  if (rest === 0) return `${whole}%`;
  return `${whole}.${rest.toString().padStart(2, '0').replace(/0$/, '')}%`;
}

/** formatCount groups a decimal string of any size: "33119408" → "33,119,408". */
export function formatCount(decimal: string): string {
  if (!/^\d+$/.test(decimal)) return decimal;
  return decimal.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** formatDate renders a YYYY-MM-DD date (or an RFC 3339 instant) as "Thu 26 Nov 2026". */
export function formatDate(value: string, locale = 'en-GB'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  // Plain dates are calendar days in the workshop's zone: format them in UTC so they never shift.
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(m ? { timeZone: 'UTC' } : {}),
  }).format(d);
}

/** formatDateTime renders an instant with the time of day, in the viewer's zone. */
export function formatDateTime(value: string, locale = 'en-GB'): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

/**
 * localizeAmounts rewrites amounts the server wrote into notes and messages ("USD 236.40") in
 * the page's one money format ("$236.40"), exactly (the digits are parsed as strings).
 */
export function localizeAmounts(text: string, locale?: string): string {
  return text.replace(/\b([A-Z]{3}) (\d+)(?:\.(\d+))?\b/g, (whole, currency: string, units: string, frac?: string) => {
    let digits: number;
    try {
      digits = minorUnitDigits(currency);
    } catch {
      return whole;
    }
    const f = frac ?? '';
    if (f.length !== digits) return whole;
    return formatMoney({ amount: Number(units + f), currency }, locale);
  });
}
