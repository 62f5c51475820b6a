// A labelled heatmap (correlations, stress P&L, monthly returns) on ECharts: every cell shows its value,
// a diverging palette puts zero in the middle (red negative, green positive), the tooltip names the row
// and column.
import { useMemo } from 'react';
import { EChart } from './EChart';
import { useTheme } from './theme';
import type { Heatmap } from '../lib/RiskFigures';

interface HeatmapChartProps {
  map: Heatmap;
  label(v: number): string; // cell text and tooltip value (with its unit)
  height?: number;
  testId?: string;
  ariaLabel: string;
  palette?: 'diverging' | 'correlation';
}

const diverging = ['#c93c37', '#e8927a', '#8b949e33', '#7fcf8a', '#2f9e44'];
const correlation = ['#3b6fd4', '#8fb0ee', '#8b949e33', '#eda07a', '#d1473b'];

export function HeatmapChart({ map, label, height, testId, ariaLabel, palette = 'diverging' }: HeatmapChartProps) {
  const { theme } = useTheme();
  const option = useMemo(
    () => ({
      tooltip: {
        position: 'top',
        formatter: (p: { value: [number, number, number] }) =>
          `${map.y[p.value[1]]} · ${map.x[p.value[0]]}<br/><b>${label(p.value[2])}</b>`,
      },
      grid: { left: 8, right: 8, top: 8, bottom: 46, containLabel: true },
      xAxis: { type: 'category', data: map.x, splitArea: { show: true }, axisLabel: { interval: 0 } },
      yAxis: { type: 'category', data: map.y, splitArea: { show: true } },
      visualMap: {
        min: map.min,
        max: map.max,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        itemWidth: 10,
        text: [label(map.max), label(map.min)],
        inRange: { color: palette === 'correlation' ? correlation : diverging },
      },
      series: [
        {
          type: 'heatmap',
          data: map.cells,
          label: {
            show: true,
            formatter: (p: { value: [number, number, number] }) => label(p.value[2]),
            fontSize: 11,
            color: theme === 'dark' ? '#f0f3f6' : '#1f2328',
            textBorderWidth: 0,
          },
          emphasis: { itemStyle: { borderColor: '#fff', borderWidth: 1 } },
        },
      ],
      aria: { enabled: true, label: { description: ariaLabel } },
    }),
    [map, label, palette, ariaLabel, theme],
  );
  return (
    <div role="img" aria-label={ariaLabel}>
      <EChart option={option} height={height ?? Math.max(200, 60 + map.y.length * 34)} testId={testId} />
    </div>
  );
}
