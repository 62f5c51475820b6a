import { Panel } from '../components/Panel';

export function Positions() {
  return <Panel title="Positions" empty="Not built yet" />;
}
