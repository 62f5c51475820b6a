import { Panel } from '../components/Panel';

export function Overview() {
  return <Panel title="Overview" empty="Not built yet" />;
}
