// Time series (prices, equity, drawdown) with TradingView's lightweight-charts: one or more line series,
// optional markers (trade entries/exits). Times are epoch milliseconds; values numbers.
import { useEffect, useRef } from 'react';
import {
  AreaSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useTheme } from './theme';

export interface Point {
  t: number; // epoch ms
  v: number;
}

export interface Marker {
  t: number; // epoch ms
  position: 'aboveBar' | 'belowBar' | 'inBar';
  shape: 'arrowUp' | 'arrowDown' | 'circle' | 'square';
  color: string;
  text?: string;
}

export interface Series {
  name: string;
  points: Point[];
  color: string;
  area?: boolean;
  markers?: Marker[];
}

// lightweight-charts needs strictly increasing times in seconds: points in the same second keep the last.
export function toSeconds(points: Point[]): { time: UTCTimestamp; value: number }[] {
  const out: { time: UTCTimestamp; value: number }[] = [];
  for (const p of [...points].sort((a, b) => a.t - b.t)) {
    const time = Math.floor(p.t / 1000) as UTCTimestamp;
    if (out.length > 0 && out[out.length - 1].time === time) out[out.length - 1].value = p.v;
    else out.push({ time, value: p.v });
  }
  return out;
}

export function TimeChart({ series, height = 300, testId }: { series: Series[]; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const lines = useRef<ISeriesApi<'Line' | 'Area'>[]>([]);
  const { theme } = useTheme();

  useEffect(() => {
    if (!ref.current) return;
    const dark = theme === 'dark';
    const c = createChart(ref.current, {
      height,
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: 'transparent' },
        textColor: dark ? '#c9d1d9' : '#24292f',
        attributionLogo: false,
      },
      grid: {
        vertLines: { color: dark ? '#21262d' : '#eaeef2' },
        horzLines: { color: dark ? '#21262d' : '#eaeef2' },
      },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
      lines.current = [];
    };
  }, [theme, height]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    for (const s of lines.current) c.removeSeries(s);
    lines.current = [];
    for (const s of series) {
      const line = s.area
        ? c.addSeries(AreaSeries, { lineColor: s.color, topColor: `${s.color}55`, bottomColor: `${s.color}05`, lineWidth: 2, title: s.name })
        : c.addSeries(LineSeries, { color: s.color, lineWidth: 2, title: s.name });
      line.setData(toSeconds(s.points));
      if (s.markers && s.markers.length > 0) {
        const markers: SeriesMarker<Time>[] = [...s.markers]
          .sort((a, b) => a.t - b.t)
          .map((m) => ({ time: Math.floor(m.t / 1000) as UTCTimestamp, position: m.position, shape: m.shape, color: m.color, text: m.text }));
        createSeriesMarkers(line, markers);
      }
      lines.current.push(line);
    }
    c.timeScale().fitContent();
  }, [series, theme, height]);

  return <div ref={ref} className="time-chart" style={{ width: '100%', height }} data-testid={testId} />;
}
