import { describe, expect, it } from 'vitest';
import { algoBody, bps, emptyAlgo, mergeAlgo, scheduleGap, type AlgoView } from './ExecutionForm';

describe('algo form', () => {
  it('builds a TWAP body', () => {
    expect(algoBody({ ...emptyAlgo(), quantity: '0.5' })).toEqual({
      body: { algorithm: 'TWAP', symbol: 'BTCUSDT', side: 'BUY', quantity: '0.5', urgency: 'PASSIVE', duration: '10m', slices: 10 },
    });
  });
  it('asks each algorithm for its own fields', () => {
    expect(algoBody({ ...emptyAlgo(), algorithm: 'POV', quantity: '1', participation: '1.5' })).toEqual({
      errors: { participation: 'a number in (0, 1), e.g. 0.1 = 10 %' },
    });
    expect(algoBody({ ...emptyAlgo(), algorithm: 'ICEBERG', quantity: '1' })).toEqual({
      errors: { display_quantity: 'required: the visible slice', limit_price: 'required for ICEBERG (the price the slices rest at)' },
    });
    const ice = algoBody({ ...emptyAlgo(), algorithm: 'ICEBERG', quantity: '1', display_quantity: '0.1', limit_price: '59000', duration: '' });
    expect(ice).toEqual({
      body: { algorithm: 'ICEBERG', symbol: 'BTCUSDT', side: 'BUY', quantity: '1', urgency: 'PASSIVE', display_quantity: '0.1', limit_price: '59000' },
    });
    expect(algoBody({ ...emptyAlgo(), quantity: '1', duration: '' })).toEqual({ errors: { duration: 'required for TWAP' } });
  });
  it('merges live updates and measures the schedule gap', () => {
    const a = { id: 'A1', progress: 0.2, schedule_progress: 0.5 } as AlgoView;
    const b = { id: 'A2', progress: 0, schedule_progress: 0 } as AlgoView;
    expect(mergeAlgo([a], b).map((x) => x.id)).toEqual(['A2', 'A1']);
    expect(mergeAlgo([a, b], { ...a, progress: 0.6 })[0].progress).toBe(0.6);
    expect(scheduleGap(a)).toBeCloseTo(-0.3);
    expect(bps('12.345')).toBe('12.3 bp');
    expect(bps(null)).toBe('—');
  });
});
