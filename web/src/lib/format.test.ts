import { describe, expect, it } from 'vitest';
import { compact, decimal, fixedDecimal, groupDigits, money, percent, pnl, utcTime } from './format';

describe('fixedDecimal', () => {
  it('rounds half away from zero on the decimal digits, not binary', () => {
    expect(fixedDecimal('2.675', 2)).toBe('2.68'); // (2.675).toFixed(2) === "2.67"
    expect(fixedDecimal('-2.675', 2)).toBe('-2.68');
    expect(fixedDecimal('2.674', 2)).toBe('2.67');
  });
  it('carries through nines', () => {
    expect(fixedDecimal('9.995', 2)).toBe('10.00');
    expect(fixedDecimal('-0.999', 2)).toBe('-1.00');
  });
  it('pads and drops the sign of zero', () => {
    expect(fixedDecimal('5', 2)).toBe('5.00');
    expect(fixedDecimal('-0.001', 2)).toBe('0.00');
    expect(fixedDecimal('12.3456', 0)).toBe('12');
  });
});

describe('money and pnl', () => {
  it('groups thousands and names the currency', () => {
    expect(groupDigits('-1234567.5')).toBe('-1,234,567.5');
    expect(money('100000')).toBe('100,000.00 USDT');
    expect(money('1234.5', 'USD')).toBe('1,234.50 USD');
  });
  it('signs profits and keeps losses negative', () => {
    expect(pnl('1234.5')).toBe('+1,234.50 USDT');
    expect(pnl('-12')).toBe('-12.00 USDT');
    expect(pnl('0')).toBe('0.00 USDT');
  });
  it('shows a dash for missing values', () => {
    expect(money(null)).toBe('—');
    expect(pnl(undefined)).toBe('—');
    expect(percent('')).toBe('—');
  });
});

describe('other units', () => {
  it('keeps exact decimal digits of prices', () => {
    expect(decimal('60000.10')).toBe('60,000.10');
  });
  it('formats ratios as percentages', () => {
    expect(percent(0.0534)).toBe('5.34 %');
    expect(percent(-0.1, 1)).toBe('-10.0 %');
  });
  it('compacts large figures', () => {
    expect(compact(1234567)).toBe('1.23M');
    expect(compact(-2500)).toBe('-2.50k');
  });
  it('formats nanosecond ISO times in UTC', () => {
    expect(utcTime('2026-11-21T19:30:05.123456789Z')).toBe('2026-11-21 19:30:05 UTC');
    expect(utcTime(0)).toBe('1970-01-01 00:00:00 UTC');
  });
});
