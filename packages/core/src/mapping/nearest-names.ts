import { editDistance } from '../text/edit-distance.js';

/** The known names closest to `wanted` (edit distance, case-insensitive), best first: for "did you mean". */
export function nearestNames(wanted: string, known: Iterable<string>, limit = 3): string[] {
  const target = wanted.toLowerCase();
  return [...known]
    .map((name) => ({ name, distance: editDistance(target, name.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((entry) => entry.name);
}
