import { describe, expect, it } from 'vitest';
import { connectionText, liquidationText, reconciliationText, weightText, type LiquidationComparison, type VenueStatus } from './Venues';

const base: VenueStatus = { name: 'binance', kind: 'binance_futures', network: 'mainnet', account_id: 'BINANCE-1', read_only: false };

function comparison(verdict: LiquidationComparison['verdict']): LiquidationComparison {
  return {
    instrument: 'BTCUSDT.BINANCE',
    venue_quantity: '0.01',
    book_quantity: '0.01',
    venue_margin_mode: 'CROSS',
    book_margin_mode: 'CROSS',
    venue_liquidation_price: null,
    our_liquidation_price: null,
    our_outcome: null,
    difference_bps: null,
    verdict,
    note: '',
  };
}

describe('venue summaries', () => {
  it('says how the venue is connected', () => {
    expect(connectionText(base)).toBe('starting');
    expect(connectionText({ ...base, connected: false, market_data_connected: true })).toBe('disconnected');
    expect(connectionText({ ...base, connected: true, market_data_connected: false })).toBe('market data down');
    expect(connectionText({ ...base, connected: true, market_data_connected: true })).toBe('connected');
  });
  it('shows the request weight as a share of the limit', () => {
    expect(weightText(base)).toBe('—');
    // 12 of 2400 = 0.5 %
    expect(weightText({ ...base, request_weight: { used: 12, limit: 2400 } })).toBe('12 / 2400 (0.5 %)');
    expect(weightText({ ...base, request_weight: { used: 5, limit: 0 } })).toBe('—');
  });
  it('summarises the last reconciliation by kind', () => {
    expect(reconciliationText(base)).toBe('not yet');
    expect(reconciliationText({ ...base, needs_reconciliation: true })).toBe('needed');
    const report = {
      venue: 'BINANCE',
      at: '2026-11-23T01:00:00Z',
      venue_open_orders: 0,
      venue_fills: 0,
      venue_positions: 1,
      fills_skipped: 0,
      counts: {} as Record<string, number>,
      corrections: [],
      warnings: [],
    };
    expect(reconciliationText({ ...base, reconciliation: report })).toBe('in sync; no corrections');
    const correction = { kind: 'POSITION_ADOPTED', venue: 'BINANCE', instrument: 'BTCUSDT.BINANCE', detail: '', at: '', client_order_id: null, venue_order_id: null, trade_id: null };
    const three = { ...report, counts: { POSITION_ADOPTED: 1, ORDER_CLOSED: 2 }, corrections: [correction, correction, correction] };
    expect(reconciliationText({ ...base, reconciliation: three })).toBe('in sync; 3 corrections: ORDER_CLOSED 2, POSITION_ADOPTED 1');
    const one = { ...report, counts: { POSITION_ADOPTED: 1 }, corrections: [correction] };
    expect(reconciliationText({ ...base, needs_reconciliation: true, reconciliation: one })).toBe('needed; 1 correction: POSITION_ADOPTED 1');
  });
  it('counts the liquidation-price verdicts', () => {
    expect(liquidationText(null)).toBe('not yet');
    expect(liquidationText({ at: '', tolerance_bps: '50', positions: [] })).toBe('no positions');
    const positions = [comparison('AGREES'), comparison('AGREES'), comparison('DIFFERS'), comparison('NOT_COMPARED')];
    expect(liquidationText({ at: '', tolerance_bps: '50', positions })).toBe('2 agree, 1 differs, 1 not compared');
    expect(liquidationText({ at: '', tolerance_bps: '50', positions: [comparison('AGREES')] })).toBe('1 agrees');
  });
});
