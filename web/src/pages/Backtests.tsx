import { Panel } from '../components/Panel';

export function Backtests() {
  return <Panel title="Backtests" empty="Not built yet" />;
}
