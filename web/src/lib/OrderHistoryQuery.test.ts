import { describe, expect, it } from 'vitest';
import { orderHistoryPath, utcInput } from './OrderHistoryQuery';

describe('utcInput', () => {
  it('reads the datetime-local text as UTC', () => {
    expect(utcInput('2026-11-21T19:30')).toBe('2026-11-21T19:30:00.000Z');
    expect(utcInput('2026-11-21T19:30:15')).toBe('2026-11-21T19:30:15.000Z');
    expect(utcInput('')).toBe('');
    expect(utcInput('yesterday')).toBe('');
  });
});

describe('orderHistoryPath', () => {
  it('sends only the filters that are set, with the page', () => {
    expect(orderHistoryPath({ status: '', symbol: '', from: '', to: '', offset: 0 })).toBe('/api/orders?limit=25&offset=0');
    expect(orderHistoryPath({ status: 'FILLED', symbol: 'BTCUSDT', from: '2026-11-21T19:30', to: '', offset: 50 })).toBe(
      '/api/orders?status=FILLED&symbol=BTCUSDT&from=2026-11-21T19%3A30%3A00.000Z&limit=25&offset=50',
    );
  });
});
