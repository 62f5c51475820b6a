import { describe, expect, it } from 'vitest';
import { breakerBody, breakerFigure, emptyBreaker, fieldsFor, formFromConfig, instrumentId, problemsToFields, validateBreaker } from './BreakerForm';

const rapid = () => ({ ...emptyBreaker(), name: 'btc-rapid', condition: 'RAPID_MOVE' as const, instrument: 'BTCUSDT', threshold: '0.03', window: '1m', action: 'CANCEL_ORDERS' });

describe('breaker form', () => {
  it('builds a RAPID_MOVE body with only the keys the condition uses', () => {
    const body = breakerBody(rapid());
    expect(body).toEqual({
      name: 'btc-rapid',
      condition: 'RAPID_MOVE',
      enabled: true,
      action: 'CANCEL_ORDERS',
      cooldown: '30m',
      block_trading_during_cooldown: false,
      reset: 'AUTOMATIC',
      instrument: 'BTCUSDT.PAPER',
      threshold: '0.03',
      window: '1m',
    });
    expect(validateBreaker(rapid())).toEqual({});
  });
  it('sends sessions for TRADING_HOURS and no threshold', () => {
    const f = { ...emptyBreaker(), name: 'hours', condition: 'TRADING_HOURS' as const };
    const body = breakerBody(f);
    expect(body.threshold).toBeUndefined();
    expect(body.sessions).toEqual([{ start: '08:00', end: '22:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] }]);
    expect(validateBreaker(f)).toEqual({});
    expect(validateBreaker({ ...f, sessions: [{ start: '08:00', end: '08:00', days: [] }] })).toMatchObject({
      'sessions.0.end': expect.stringContaining('differ'),
      'sessions.0.days': 'at least one day',
    });
  });
  it('checks thresholds by condition as the server does', () => {
    expect(validateBreaker({ ...rapid(), threshold: '1.5' }).threshold).toBe('must be in (0, 1]');
    expect(validateBreaker({ ...rapid(), threshold: 'abc' }).threshold).toBe('a number is required');
    expect(validateBreaker({ ...rapid(), condition: 'ACCOUNT_DRAWDOWN', threshold: '1' }).threshold).toBe('must be in (0, 1)');
    expect(validateBreaker({ ...rapid(), condition: 'VOLATILITY_SPIKE', threshold: '1', baseline_window: '1d' }).threshold).toBe('must be > 1');
    expect(validateBreaker({ ...rapid(), condition: 'LOSS_STREAK', threshold: '2.5' }).threshold).toBe('a whole number ≥ 1');
    expect(validateBreaker({ ...rapid(), name: 'has space' }).name).toMatch(/without spaces/);
    expect(validateBreaker({ ...rapid(), window: '5 minutes' }).window).toMatch(/duration/);
    expect(validateBreaker({ ...rapid(), scope: 'ACCOUNT' }).scope).toBe('RAPID_MOVE needs scope INSTRUMENT');
  });
  it('knows which fields each condition has', () => {
    expect(fieldsFor('VOLATILITY_SPIKE')).toMatchObject({ window: true, baseline_window: true, min_samples: true, sessions: false });
    expect(fieldsFor('DAILY_LOSS')).toMatchObject({ window: false, instrument: false, accountOnly: true });
  });
  it('reads a breaker config back into the form', () => {
    const f = formFromConfig({
      name: 'x', condition: 'RAPID_MOVE', scope: 'INSTRUMENT', instrument: null, enabled: false, threshold: 0.05, window: '5m',
      baseline_window: '1d', min_samples: 20, sessions: [], action: 'HALT', cooldown: '15m', block_trading_during_cooldown: true, reset: 'MANUAL',
    });
    expect(f).toMatchObject({ name: 'x', scope: 'INSTRUMENT', instrument: '', enabled: false, threshold: '0.05', action: 'HALT', reset: 'MANUAL', block_trading_during_cooldown: true });
    expect(breakerBody(f).instrument).toBeUndefined();
  });
  it('maps the server problems onto fields', () => {
    expect(problemsToFields(['threshold: must be in (0, 1], got 2', 'sessions/0/start: not a time', 'something else'])).toEqual({
      threshold: 'must be in (0, 1], got 2',
      'sessions.0.start': 'not a time',
      _: 'something else',
    });
    expect(problemsToFields(["a circuit breaker 'x' exists"], 'name')).toEqual({ name: "a circuit breaker 'x' exists" });
  });
  it('formats values in the condition unit', () => {
    expect(instrumentId('btcusdt')).toBe('BTCUSDT.PAPER');
    expect(instrumentId('ETHUSDT.BINANCE')).toBe('ETHUSDT.BINANCE');
    expect(breakerFigure('RAPID_MOVE', '0.0812')).toBe('8.12 %');
    expect(breakerFigure('DAILY_LOSS', 4000)).toBe('4,000.00 USDT');
    expect(breakerFigure('VOLATILITY_SPIKE', '3')).toBe('3.00×');
    expect(breakerFigure('LOSS_STREAK', 4)).toBe('4 trades');
    expect(breakerFigure('RAPID_MOVE', null)).toBe('—');
  });
});
