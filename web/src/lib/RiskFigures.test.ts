import { describe, expect, it } from 'vitest';
import {
  barWidth,
  correlationHeatmap,
  insufficientHistory,
  limitClass,
  limitFigure,
  limitLabel,
  sortLimits,
  stressHeatmap,
  varTable,
} from './RiskFigures';

describe('limit utilisation', () => {
  it('is plain below 80 %, warn from 80 % and over from 100 %', () => {
    expect(limitClass(0)).toBe('');
    expect(limitClass(0.7999)).toBe('');
    expect(limitClass(0.8)).toBe('warn');
    expect(limitClass(0.99)).toBe('warn');
    expect(limitClass(1)).toBe('over');
    expect(limitClass(1.7)).toBe('over');
    expect(limitClass(null)).toBe('');
  });
  it('clamps the bar width to 0..100 %', () => {
    expect(barWidth(-0.1)).toBe(0);
    expect(barWidth(0.25)).toBe(25);
    expect(barWidth(3)).toBe(100);
  });
  it('labels and formats limits in their units', () => {
    expect(limitLabel('MAX_GROSS_EXPOSURE')).toBe('Max gross exposure');
    expect(limitLabel('PORTFOLIO_VAR')).toBe('Portfolio VaR');
    expect(limitFigure('MAX_GROSS_EXPOSURE', 24049.53)).toBe('24,049.53 USDT');
    expect(limitFigure('MAX_LEVERAGE', 3)).toBe('3.00×');
    expect(limitFigure('MAX_TRADES_PER_DAY', 200)).toBe('200');
  });
  it('puts the most used limit first', () => {
    const sorted = sortLimits([
      { limit: 'A', max: 1, value: 0.1, utilisation: 0.1 },
      { limit: 'B', max: 1, value: 0.9, utilisation: 0.9 },
    ]);
    expect(sorted.map((l) => l.limit)).toEqual(['B', 'A']);
  });
});

describe('VaR table', () => {
  it('has one row per method and one cell per confidence', () => {
    const rows = varTable(
      [
        { method: 'HISTORICAL', confidence: 0.95, var: 10, expected_shortfall: 12 },
        { method: 'MONTE_CARLO', confidence: 0.95, var: 11, expected_shortfall: 13, var_standard_error: 0.5 },
        { method: 'HISTORICAL', confidence: 0.99, var: 20, expected_shortfall: 25 },
      ],
      [0.95, 0.99],
    );
    expect(rows.map((r) => r.method)).toEqual(['HISTORICAL', 'MONTE_CARLO']);
    expect(rows[0].cells[1]).toEqual({ var: 20, es: 25, varSe: null, esSe: null });
    expect(rows[1].cells[0]?.varSe).toBe(0.5);
    expect(rows[1].cells[1]).toBeNull();
  });
  it('turns INSUFFICIENT_HISTORY into how many bars are missing', () => {
    expect(insufficientHistory('18 returns of paper bars available, 30 needed')).toBe('Not enough history yet: needs 12 more bars.');
    expect(insufficientHistory('50 closes of BTCUSDT available, 51 needed')).toBe('Not enough history yet: needs 1 more bar.');
    expect(insufficientHistory('odd')).toBe('Not enough history yet: odd');
  });
});

describe('heatmaps', () => {
  it('lays the correlation matrix out with the diagonal top-left to bottom-right', () => {
    const h = correlationHeatmap(['A', 'B'], [
      [1, 0.256],
      [0.256, 1],
    ]);
    expect(h.x).toEqual(['A', 'B']);
    expect(h.y).toEqual(['B', 'A']);
    expect(h.cells).toContainEqual([0, 1, 1]); // A·A at the top left
    expect(h.cells).toContainEqual([1, 1, 0.26]); // A·B, rounded
    expect(h.cells).toContainEqual([1, 0, 1]);
    expect([h.min, h.max]).toEqual([-1, 1]);
  });
  it('puts stress scenarios × instruments with a total column, worst at the top, symmetric range', () => {
    const h = stressHeatmap([
      { name: 'mild', pnl: -100, instruments: [{ symbol: 'BTC', pnl: -150 }, { symbol: 'SOL', pnl: 50 }] },
      { name: 'crash', pnl: -900.556, instruments: [{ symbol: 'BTC', pnl: -1000 }, { symbol: 'SOL', pnl: 99.444 }] },
    ]);
    expect(h.x).toEqual(['BTC', 'SOL', 'Total']);
    expect(h.y).toEqual(['mild', 'crash']); // drawn from the bottom: crash on top
    expect(h.cells).toContainEqual([2, 1, -900.56]);
    expect(h.cells).toContainEqual([0, 0, -150]);
    expect(h.min).toBe(-1000);
    expect(h.max).toBe(1000);
  });
});
