// Number and time formatting for the dashboard. The API sends money, prices and quantities as decimal
// strings (exact) and ratios as numbers (docs/api.md); these functions display them with their units and
// never invent precision: a decimal string keeps its digits unless a fixed number of places is asked for.

export type Num = string | number | null | undefined;

// A finite number from an API value, or null ("", null, undefined, "NaN" → null).
export function toNumber(v: Num): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

const dash = '—';

// Groups the integer part of a plain decimal string with thin commas: "-1234567.5" → "-1,234,567.5".
export function groupDigits(text: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!m) return text;
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] ?? '');
}

// Fixed places with round-half-away-from-zero on the decimal string itself (no binary rounding):
// fixedDecimal("2.675", 2) → "2.68" (Number.toFixed gives "2.67").
export function fixedDecimal(text: string, places: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) {
    const n = toNumber(text);
    return n === null ? text : n.toFixed(places);
  }
  const negative = m[1] === '-';
  const frac = m[3] ?? '';
  let digits = m[2] + frac.padEnd(places, '0').slice(0, places);
  const roundUp = frac.length > places && frac.charCodeAt(places) >= 53; // next digit ≥ 5
  if (roundUp) {
    const arr = digits.split('').map(Number);
    let i = arr.length - 1;
    while (i >= 0) {
      if (arr[i] === 9) {
        arr[i] = 0;
        i--;
      } else {
        arr[i]++;
        break;
      }
    }
    digits = (i < 0 ? '1' : '') + arr.join('');
  }
  const intLen = digits.length - places;
  let out = places > 0 ? `${digits.slice(0, intLen)}.${digits.slice(intLen)}` : digits;
  out = out.replace(/^0+(?=\d)/, '');
  const isZero = /^[0.]*$/.test(out);
  return (negative && !isZero ? '-' : '') + out;
}

// Money in the settlement currency: "12345.678" → "12,345.68 USDT".
export function money(v: Num, currency = 'USDT', places = 2): string {
  if (toNumber(v) === null) return dash;
  const text = typeof v === 'number' ? v.toFixed(places) : fixedDecimal(String(v), places);
  return `${groupDigits(text)} ${currency}`;
}

// Signed money for P&L: "+1,234.50 USDT", "-12.00 USDT".
export function pnl(v: Num, currency = 'USDT', places = 2): string {
  const n = toNumber(v);
  if (n === null) return dash;
  const s = money(v, currency, places);
  return n > 0 && !s.startsWith('0.00') ? `+${s}` : s;
}

// A price or quantity as sent (exact digits), grouped: "60000.1" → "60,000.1".
export function decimal(v: Num): string {
  if (toNumber(v) === null) return dash;
  return groupDigits(typeof v === 'number' ? String(v) : String(v).trim());
}

// A ratio as a percentage: 0.0534 → "5.34 %".
export function percent(v: Num, places = 2): string {
  const n = toNumber(v);
  return n === null ? dash : `${(n * 100).toFixed(places)} %`;
}

// A multiple: 2.5 → "2.50×".
export function multiple(v: Num, places = 2): string {
  const n = toNumber(v);
  return n === null ? dash : `${n.toFixed(places)}×`;
}

// Compact large figures for axis labels: 1234567 → "1.23M".
export function compact(v: Num): string {
  const n = toNumber(v);
  if (n === null) return dash;
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(2)}k`;
  return n.toFixed(2);
}

// An ISO-8601 UTC time (up to nanoseconds) or epoch milliseconds as "2026-11-21 19:30:00 UTC".
export function utcTime(v: string | number | null | undefined, withSeconds = true): string {
  if (v === null || v === undefined || v === '') return dash;
  const ms = typeof v === 'number' ? v : Date.parse(v.replace(/(\.\d{3})\d+Z$/, '$1Z'));
  if (!Number.isFinite(ms)) return String(v);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)} UTC`;
}

// Epoch milliseconds of an ISO time (nanosecond digits dropped), or null.
export function epochMs(v: string | null | undefined): number | null {
  if (!v) return null;
  const ms = Date.parse(v.replace(/(\.\d{3})\d+Z$/, '$1Z'));
  return Number.isFinite(ms) ? ms : null;
}

// CSS class for a signed figure.
export function signClass(v: Num): string {
  const n = toNumber(v);
  if (n === null || n === 0) return '';
  return n > 0 ? 'pos' : 'neg';
}
