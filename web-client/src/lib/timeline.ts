/** TimelineEvent is one step of an order's build as the client keeps it. */
export interface TimelineEvent {
  seq: number;
  status: string;
  note: string;
  at: string;
  trackingNumber?: string | null;
  /** STATUS (a build step), PAYMENT or REFUND (money moved; the status is unchanged). */
  kind?: string;
  /** The money moved, in minor units of the order's currency. */
  amount?: number;
  /** The proof sent (PROOF) or answered (APPROVED, REVISION_REQUESTED); 0 otherwise. */
  proofNumber?: number;
}

/** isMoney reports whether e records money received or refunded rather than a build step. */
export function isMoney(e: TimelineEvent): boolean {
  return e.kind === 'PAYMENT' || e.kind === 'REFUND';
}

/**
 * mergeEvents adds incoming events to a timeline: ordered by seq, each seq once (an event seen
 * twice, e.g. replayed after a reconnect, keeps its first copy). Returns the same array when
 * nothing is new so React can skip a render.
 */
export function mergeEvents<T extends TimelineEvent>(current: readonly T[], incoming: readonly T[]): T[] {
  const seen = new Set(current.map((e) => e.seq));
  const fresh = incoming.filter((e) => {
    if (seen.has(e.seq)) return false;
    seen.add(e.seq);
    return true;
  });
  if (fresh.length === 0) return current as T[];
  return [...current, ...fresh].sort((a, b) => a.seq - b.seq);
}

/** lastSeq is the `after` to resume from: the highest seq held (0 for none). */
export function lastSeq(events: readonly TimelineEvent[]): number {
  let max = 0;
  for (const e of events) if (e.seq > max) max = e.seq;
  return max;
}

/**
 * contiguousSeq is the highest seq n such that 1..n are all held. Resuming from it (rather than
 * from lastSeq) never skips an event when one arrived out of order.
 */
export function contiguousSeq(events: readonly TimelineEvent[]): number {
  const have = new Set(events.map((e) => e.seq));
  let n = 0;
  while (have.has(n + 1)) n++;
  return n;
}

/** The build's main line, in order. */
export const BUILD_STEPS = [
  'PLACED',
  'CONFIRMED',
  'MATERIALS',
  'CRAFTING',
  'FINISHING',
  'QUALITY_CHECK',
  'SHIPPED',
  'DELIVERED',
] as const;

/** The main line of an order whose customer approves a proof of the design first. */
export const APPROVAL_STEPS = [
  'PLACED',
  'CONFIRMED',
  'PROOF_SENT',
  'APPROVED',
  'MATERIALS',
  'CRAFTING',
  'FINISHING',
  'QUALITY_CHECK',
  'SHIPPED',
  'DELIVERED',
] as const;

/** statusLabel is a status in words. */
export function statusLabel(status: string): string {
  switch (status) {
    case 'PLACED':
      return 'Order placed';
    case 'CONFIRMED':
      return 'Deposit received';
    case 'PROOF_SENT':
      return 'Proof sent';
    case 'REVISION_REQUESTED':
      return 'Revision requested';
    case 'APPROVED':
      return 'Design approved';
    case 'MATERIALS':
      return 'Materials selected';
    case 'CRAFTING':
      return 'Being crafted';
    case 'FINISHING':
      return 'Finishing';
    case 'QUALITY_CHECK':
      return 'Quality check';
    case 'SHIPPED':
      return 'Shipped';
    case 'DELIVERED':
      return 'Delivered';
    case 'CANCELLED':
      return 'Cancelled';
    default:
      return status;
  }
}

/** StepView is one row of the timeline as drawn. */
export interface StepView {
  status: string;
  state: 'done' | 'current' | 'upcoming';
  event?: TimelineEvent;
  /** How many times the step was entered (rework sends QUALITY_CHECK back to CRAFTING). */
  visits: number;
}

/**
 * timelineSteps lays the events over the build's main line; with approval, the proof and the
 * approval are steps of it (a revision request keeps the order on the proof step).
 */
export function timelineSteps(events: readonly TimelineEvent[], status: string, approval = false): StepView[] {
  const line: readonly string[] = approval ? APPROVAL_STEPS : BUILD_STEPS;
  const latest = new Map<string, TimelineEvent>();
  const visits = new Map<string, number>();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    latest.set(e.status, e);
    visits.set(e.status, (visits.get(e.status) ?? 0) + 1);
  }
  const current = events.length ? [...events].sort((a, b) => b.seq - a.seq)[0].status : status;
  const idx = line.indexOf(current === 'REVISION_REQUESTED' && approval ? 'PROOF_SENT' : current);
  const steps: StepView[] = line.map((s, i) => ({
    status: s,
    state: idx < 0 ? (latest.has(s) ? 'done' : 'upcoming') : i < idx ? 'done' : i === idx ? 'current' : 'upcoming',
    event: i <= idx || idx < 0 ? latest.get(s) : undefined,
    visits: visits.get(s) ?? 0,
  }));
  if (current === 'REVISION_REQUESTED' && idx >= 0) {
    // The step shows the customer's request until the next proof.
    steps[idx] = { ...steps[idx], status: 'REVISION_REQUESTED', event: latest.get('REVISION_REQUESTED') };
  }
  if (current === 'CANCELLED') {
    steps.push({ status: 'CANCELLED', state: 'current', event: latest.get('CANCELLED'), visits: 1 });
  }
  if (current === 'DELIVERED') steps[steps.length - 1].state = 'done';
  return steps;
}
