// The order history query (GET /api/orders?status=&symbol=&from=&to=&limit=&offset=, newest first) built
// from the filter form. The form's date-time inputs are read as UTC, like every time the dashboard shows.

export const pageSize = 25;

export interface HistoryFilter {
  status: string; // '' (any), 'open' or an order status
  symbol: string; // '' (any)
  from: string; // datetime-local text, '' for none
  to: string;
  offset: number;
}

// datetime-local text ("2026-11-21T19:30" or with seconds) read as UTC → ISO-8601; '' when empty or invalid.
export function utcInput(text: string): string {
  if (!text) return '';
  const ms = Date.parse(`${text.length === 16 ? `${text}:00` : text}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

export function orderHistoryPath(f: HistoryFilter): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.symbol) q.set('symbol', f.symbol);
  const from = utcInput(f.from);
  const to = utcInput(f.to);
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  q.set('limit', String(pageSize));
  q.set('offset', String(Math.max(0, f.offset)));
  return `/api/orders?${q.toString()}`;
}
