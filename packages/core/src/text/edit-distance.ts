/**
 * Edit distance between `a` and `b`: the fewest single-character insertions,
 * deletions, substitutions and swaps of two neighbours (optimal string alignment),
 * so the common typo `auht` is one edit from `auth`.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/**
 * The known name a typo most likely meant (case-insensitive), or undefined when
 * none is close: at most a third of the longer name's characters may differ
 * (at least 1, at most 3), so `auht` suggests `auth` but `zzz` suggests nothing.
 */
export function closestName(wanted: string, known: Iterable<string>): string | undefined {
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
