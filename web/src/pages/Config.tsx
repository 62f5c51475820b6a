import { Panel } from '../components/Panel';

export function Config() {
  return <Panel title="Config" empty="Not built yet" />;
}
