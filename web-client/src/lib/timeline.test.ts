import { describe, expect, it } from 'vitest';
import { contiguousSeq, lastSeq, mergeEvents, timelineSteps, type TimelineEvent } from './timeline';

const ev = (seq: number, status: string, note = ''): TimelineEvent => ({ seq, status, note, at: `2026-11-2${seq}T10:00:00Z` });

describe('mergeEvents', () => {
  it('orders by seq', () => {
    expect(mergeEvents([ev(2, 'CONFIRMED')], [ev(1, 'PLACED')]).map((e) => e.seq)).toEqual([1, 2]);
  });
  it('drops an event replayed after a reconnect', () => {
    const cur = [ev(1, 'PLACED'), ev(2, 'CONFIRMED', 'first')];
    const next = mergeEvents(cur, [ev(2, 'CONFIRMED', 'replayed'), ev(3, 'MATERIALS')]);
    expect(next.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(next[1].note).toBe('first');
  });
  it('dedupes within one batch', () => {
    expect(mergeEvents([], [ev(1, 'PLACED'), ev(1, 'PLACED')])).toHaveLength(1);
  });
  it('returns the same array when nothing is new', () => {
    const cur = [ev(1, 'PLACED')];
    expect(mergeEvents(cur, [ev(1, 'PLACED')])).toBe(cur);
  });
});

describe('resume point', () => {
  it('lastSeq is the highest seq, 0 when empty', () => {
    expect(lastSeq([])).toBe(0);
    expect(lastSeq([ev(1, 'PLACED'), ev(3, 'MATERIALS')])).toBe(3);
  });
  it('contiguousSeq never skips a hole', () => {
    expect(contiguousSeq([ev(1, 'PLACED'), ev(3, 'MATERIALS')])).toBe(1);
    expect(contiguousSeq([ev(1, 'PLACED'), ev(2, 'CONFIRMED'), ev(3, 'MATERIALS')])).toBe(3);
    expect(contiguousSeq([])).toBe(0);
  });
});

describe('timelineSteps', () => {
  it('marks done, current and upcoming', () => {
    const steps = timelineSteps([ev(1, 'PLACED'), ev(2, 'CONFIRMED')], 'CONFIRMED');
    expect(steps.map((s) => s.state).slice(0, 3)).toEqual(['done', 'current', 'upcoming']);
    expect(steps[1].event?.seq).toBe(2);
  });
  it('shows rework: quality check back to crafting', () => {
    const events = ['PLACED', 'CONFIRMED', 'MATERIALS', 'CRAFTING', 'FINISHING', 'QUALITY_CHECK', 'CRAFTING'].map((s, i) => ev(i + 1, s));
    const steps = timelineSteps(events, 'CRAFTING');
    const crafting = steps.find((s) => s.status === 'CRAFTING')!;
    expect(crafting.state).toBe('current');
    expect(crafting.visits).toBe(2);
    expect(steps.find((s) => s.status === 'QUALITY_CHECK')!.state).toBe('upcoming');
  });
  it('delivered is all done', () => {
    const events = ['PLACED', 'CONFIRMED', 'MATERIALS', 'CRAFTING', 'FINISHING', 'QUALITY_CHECK', 'SHIPPED', 'DELIVERED'].map((s, i) => ev(i + 1, s));
    expect(timelineSteps(events, 'DELIVERED').every((s) => s.state === 'done')).toBe(true);
  });
  it('adds a cancelled step', () => {
    const steps = timelineSteps([ev(1, 'PLACED'), ev(2, 'CANCELLED')], 'CANCELLED');
    expect(steps[steps.length - 1]).toMatchObject({ status: 'CANCELLED', state: 'current' });
  });
  it('with approval, the proof and the approval are steps; a revision stays on the proof step', () => {
    const events = [ev(1, 'PLACED'), ev(2, 'CONFIRMED'), ev(3, 'PROOF_SENT'), ev(4, 'REVISION_REQUESTED', 'Smaller')];
    const steps = timelineSteps(events, 'REVISION_REQUESTED', true);
    expect(steps.map((s) => s.status).slice(0, 5)).toEqual(['PLACED', 'CONFIRMED', 'REVISION_REQUESTED', 'APPROVED', 'MATERIALS']);
    expect(steps[2]).toMatchObject({ state: 'current', event: { note: 'Smaller' } });
    const approved = timelineSteps([...events, ev(5, 'PROOF_SENT'), ev(6, 'APPROVED')], 'APPROVED', true);
    expect(approved[2]).toMatchObject({ status: 'PROOF_SENT', state: 'done', visits: 2 });
    expect(approved[3]).toMatchObject({ status: 'APPROVED', state: 'current' });
  });
});
