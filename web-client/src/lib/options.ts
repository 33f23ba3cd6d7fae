/** OptionStateName mirrors the API's OptionState enum. */
export type OptionStateName = 'SELECTED' | 'AVAILABLE' | 'EXCLUDED' | 'FORCED';

/** isChosen: the option is part of the configuration now. */
export function isChosen(state: OptionStateName): boolean {
  return state === 'SELECTED';
}

/** isExcluded: choosing it needs a fix first. */
export function isExcluded(state: OptionStateName): boolean {
  return state === 'EXCLUDED';
}

/** stateLabel is the short badge beside an option, or null for none. */
export function stateLabel(state: OptionStateName): string | null {
  switch (state) {
    case 'FORCED':
      return 'Only choice';
    case 'EXCLUDED':
      return 'Unavailable';
    case 'SELECTED':
      return 'Selected';
    default:
      return null;
  }
}

/**
 * optionAction says what a click on an option does: choose it, clear it (a selected option of
 * an optional or MULTI group), propose a fix (excluded), or nothing.
 */
export function optionAction(
  state: OptionStateName,
  kind: 'SINGLE' | 'MULTI' | 'TEXT' | 'NUMBER',
  required: boolean,
): 'select' | 'clear' | 'resolve' | 'none' {
  if (state === 'EXCLUDED') return 'resolve';
  if (state === 'SELECTED') return kind === 'MULTI' || !required ? 'clear' : 'none';
  return 'select';
}

/**
 * validateMonogram checks text against a TEXT group's limits; null when valid. Every problem is
 * named at once: characters that cannot be stamped first, then the length.
 */
export function validateMonogram(
  text: string,
  maxLength: number,
  allowedCharacters: string,
): string | null {
  const chars = Array.from(text);
  const problems: string[] = [];
  const allowed = allowedCharacters || 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ';
  const bad = [...new Set(chars.filter((c) => !allowed.includes(c)))];
  if (bad.length > 0) {
    const shown = bad.map((c) => (c === ' ' ? 'space' : `“${c}”`)).join(', ');
    problems.push(`${shown} cannot be stamped (allowed: ${describeAllowed(allowed)}).`);
  }
  if (maxLength > 0 && chars.length > maxLength)
    problems.push(`Up to ${maxLength} character${maxLength === 1 ? '' : 's'}.`);
  return problems.length ? problems.join(' ') : null;
}

/** describeAllowed summarises an allowed-characters string: "A–Z, . and &". */
export function describeAllowed(allowed: string): string {
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const digits = '0123456789';
  let rest = allowed;
  const parts: string[] = [];
  for (const [set, label] of [
    [upper, 'A–Z'],
    [lower, 'a–z'],
    [digits, '0–9'],
  ] as const) {
    if ([...set].every((c) => rest.includes(c))) {
      parts.push(label);
      rest = [...rest].filter((c) => !set.includes(c)).join('');
    }
  }
  for (const c of rest) parts.push(c === ' ' ? 'space' : c);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** numberSteps lists the values of a NUMBER group: min, min+step … max. */
export function numberSteps(min: number, max: number, step: number): number[] {
  const s = step > 0 ? step : 1;
  const out: number[] = [];
  for (let v = min; v <= max && out.length < 1000; v += s) out.push(v);
  return out;
}

/** inGroupOrder sorts choices by their group's place on the page (then as they came). */
export function inGroupOrder<T extends { group: string }>(selections: readonly T[], groupKeys: readonly string[]): T[] {
  const rank = new Map(groupKeys.map((k, i) => [k, i]));
  return selections
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (rank.get(a.s.group) ?? 1e9) - (rank.get(b.s.group) ?? 1e9) || a.i - b.i)
    .map((x) => x.s);
}
