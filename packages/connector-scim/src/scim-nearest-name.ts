/**
 * "Did you mean": the known name closest to a typo (case-insensitive optimal string alignment
 * distance), or undefined when none is close. The same rule as core's manifest checks, which
 * '@provisio/core' does not export: at most a third of the longer name may differ (1 to 3 edits).
 */
export function nearestName(wanted: string, known: Iterable<string>): string | undefined {
  const target = wanted.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(target, name.toLowerCase());
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(target.length, name.length) / 3)));
    if (distance > allowed) continue;
    if (!best || distance < best.distance || (distance === best.distance && name.localeCompare(best.name) < 0)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      // A swap of two neighbours is one edit ("locailty").
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}
