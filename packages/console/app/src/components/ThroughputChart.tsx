import { chartBars, totals } from '../lib/format.js';
import type { MinuteBucket } from '../lib/types.js';

const WIDTH = 600;
const HEIGHT = 140;

/** Operations per minute over the last hour: succeeded (green) below, failed and retried (red) above. */
export function ThroughputChart({ buckets }: { buckets: MinuteBucket[] }) {
  const { bars, max } = chartBars(buckets, WIDTH, HEIGHT);
  const sum = totals(buckets);
  const summary = `Last ${buckets.length} minutes: ${sum.succeeded} succeeded, ${sum.failed} failed, ${sum.retried} failed and retried. Busiest minute scale: ${max} operations.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 1}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="axis" />
        <line x1="0" y1="0" x2={WIDTH} y2="0" className="grid" />
        {bars.map((bar, i) => (
          <g key={buckets[i].minute}>
            <title>{`${new Date(buckets[i].minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${buckets[i].succeeded} succeeded, ${buckets[i].failed + buckets[i].retried} failed`}</title>
            <rect x={bar.x} y={HEIGHT - bar.succeeded} width={bar.width} height={bar.succeeded} className="ok" />
            <rect x={bar.x} y={HEIGHT - bar.succeeded - bar.failed} width={bar.width} height={bar.failed} className="bad" />
          </g>
        ))}
      </svg>
      {/* Axis labels in HTML: the SVG stretches to the width, text in it would too. */}
      <div className="ticks" aria-hidden="true">
        <span>−{buckets.length} min</span>
        <span>now</span>
      </div>
      <figcaption>
        <span className="legend ok">succeeded {sum.succeeded}</span> <span className="legend bad">failed {sum.failed + sum.retried}</span>{' '}
        <span className="muted">(scale: {max}/min)</span>
      </figcaption>
    </figure>
  );
}
