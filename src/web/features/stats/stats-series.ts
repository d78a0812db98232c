import type { StatsOutcome, StatsResponse } from '../../../shared/api/stats';

/** Outcomes the Stats page charts, in stacking order, with their labels. */
export const CHARTED_OUTCOMES: readonly { outcome: StatsOutcome; label: string }[] = [
  { outcome: 'accepted', label: 'Accepted' },
  { outcome: 'filtered', label: 'Filtered' },
  { outcome: 'rate_limited', label: 'Rate limited' },
  { outcome: 'invalid', label: 'Invalid' },
  { outcome: 'client_discard', label: 'Client discarded' },
];

export interface OutcomeSeries {
  outcome: StatsOutcome;
  label: string;
  values: number[];
  total: number;
}

export interface ReasonRow {
  outcome: StatsOutcome;
  reason: string;
  total: number;
}

/** Sums a response grouped by outcome and reason into one series per charted outcome. */
export function toOutcomeSeries(response: StatsResponse): OutcomeSeries[] {
  return CHARTED_OUTCOMES.map(({ outcome, label }) => {
    const values = new Array<number>(response.intervals.length).fill(0);
    for (const group of response.groups) {
      if (group.by.outcome !== outcome) {
        continue;
      }
      group.series['sum(quantity)'].forEach((value, index) => {
        values[index] = (values[index] ?? 0) + value;
      });
    }
    return { outcome, label, values, total: values.reduce((sum, value) => sum + value, 0) };
  });
}

/** Lists the totals per outcome and reason, largest first. */
export function toReasonRows(response: StatsResponse): ReasonRow[] {
  return response.groups
    .filter((group) => group.by.outcome !== undefined && group.totals['sum(quantity)'] > 0)
    .map((group) => ({
      outcome: group.by.outcome as StatsOutcome,
      reason: group.by.reason ?? 'none',
      total: group.totals['sum(quantity)'],
    }))
    .sort((a, b) => b.total - a.total || a.outcome.localeCompare(b.outcome));
}

/** Returns a round upper bound for an axis whose largest value is `max`. */
export function niceMaximum(max: number): number {
  if (max <= 4) {
    return 4;
  }
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= max) ?? 10;
  return step * magnitude;
}
