import { Panel } from '../components/Panel';

export function Execution() {
  return <Panel title="Execution" empty="Not built yet" />;
}
