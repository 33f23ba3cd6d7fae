/** Edit is one change a customer makes; each becomes one mutation. */
export type Edit =
  | { kind: 'select'; group: string; option: string; label: string }
  | { kind: 'clear'; group: string; option?: string; label: string }
  | { kind: 'text'; group: string; text: string; label: string }
  | { kind: 'number'; group: string; value: number; label: string }
  | { kind: 'quantity'; quantity: number; label: string }
  | { kind: 'destination'; country: string; label: string }
  | { kind: 'reset'; label: string };

/** canResolve says whether an edit may be resent with resolveConflicts. */
export function canResolve(edit: Edit): boolean {
  return edit.kind === 'select' || edit.kind === 'text' || edit.kind === 'number';
}
