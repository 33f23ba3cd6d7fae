import type { FixStep, ReasonInfo, SelectionRef } from './errors';

/** NameBook resolves group and option keys to display names. */
export interface NameBook {
  group(key: string): string;
  option(group: string, key: string): string;
}

/** plainNames is a NameBook that shows the keys themselves. */
export const plainNames: NameBook = {
  group: (k) => k,
  option: (_g, k) => k,
};

/** describeFixStep turns one fix step into words: "changes stitching from Ivory to Black". */
export function describeFixStep(step: FixStep, names: NameBook = plainNames): string {
  const group = names.group(step.group).toLowerCase();
  const from = step.from ? names.option(step.group, step.from) : null;
  const to = step.to ? names.option(step.group, step.to) : null;
  if (from && to) return `changes ${group} from ${from} to ${to}`;
  if (from) return `clears ${group} (${from})`;
  if (to) return `sets ${group} to ${to}`;
  return step.message;
}

/** describeFix joins the steps of a fix: "This changes stitching from Ivory to Black and clears lining (Alcantara)." */
export function describeFix(fix: FixStep[], names: NameBook = plainNames): string {
  if (fix.length === 0) return 'This choice needs no other change.';
  const parts = fix.map((s) => describeFixStep(s, names));
  const joined =
    parts.length === 1
      ? parts[0]
      : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `This ${joined}.`;
}

/** describeSelection names one choice: "Stitching colour: Signal red". */
export function describeSelection(sel: SelectionRef, names: NameBook = plainNames): string {
  const group = names.group(sel.group);
  if (sel.text) return `${group}: “${sel.text}”`;
  if (sel.option) return `${group}: ${names.option(sel.group, sel.option)}`;
  return group;
}

/** describeReasons is the tooltip of an excluded option. */
export function describeReasons(reasons: ReasonInfo[], names: NameBook = plainNames): string {
  if (reasons.length === 0) return 'Not available with your current choices.';
  return reasons
    .map((r) => {
      const because = r.selections.map((s) => describeSelection(s, names)).join(' + ');
      return because ? `${r.message} (because of ${because})` : r.message;
    })
    .join(' ');
}
