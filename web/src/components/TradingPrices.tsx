// Live prices of the paper instruments: last close, change since the dashboard opened and a sparkline of
// the closes held (prices channel, one point per bar).
import { Link } from 'react-router-dom';
import { decimal, percent, signClass } from '../lib/format';
import { priceChange, sparklinePoints, type PriceHistory } from '../lib/TradingFigures';
import { Panel } from './Panel';

export function TradingSparkline({ values, width = 120, height = 28 }: { values: number[]; width?: number; height?: number }) {
  const up = values.length < 2 || values[values.length - 1] >= values[0];
  return (
    <svg className="trading-spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <polyline fill="none" stroke={up ? 'var(--pos)' : 'var(--neg)'} strokeWidth="1.5" points={sparklinePoints(values, width, height)} />
    </svg>
  );
}

// "+0.021 %", "-0.013 %", and "0.000 %" rather than "-0.000 %" for a change that rounds to nothing.
function signedPercent(ratio: number): string {
  const text = percent(ratio, 3);
  if (/^-?0\.000 %$/.test(text)) return '0.000 %';
  return ratio > 0 ? `+${text}` : text;
}

export function TradingPrices({ history, venue = 'PAPER' }: { history: PriceHistory; venue?: string }) {
  const symbols = Object.keys(history).sort();
  return (
    <Panel title="Live prices" loading={symbols.length === 0} testId="live-prices">
      <table>
        <thead>
          <tr>
            <th>Instrument</th>
            <th className="num">Last (USDT)</th>
            <th className="num">Change since open</th>
            <th>Recent closes</th>
          </tr>
        </thead>
        <tbody>
          {symbols.map((s) => {
            const series = history[s];
            const ch = priceChange(series);
            return (
              <tr key={s}>
                <td>
                  <Link to={`/positions/${venue}/${s}`}>{s}</Link>
                </td>
                <td className="num" data-testid={`price-${s}`}>
                  {ch ? `${decimal(ch.last)} USDT` : '—'}
                </td>
                <td className={`num ${signClass(ch?.change)}`}>
                  {ch ? signedPercent(ch.changeRatio) : '—'}
                </td>
                <td>
                  <TradingSparkline values={series.slice(-120).map((p) => p.close)} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="muted small">Since this dashboard opened ({Math.max(0, ...symbols.map((s) => history[s].length))} bars).</div>
    </Panel>
  );
}
