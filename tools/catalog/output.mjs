// Output helpers for tools/generate-catalog.mjs: the JSON layout and the summary on stderr.

import path from 'node:path';

// JSON with two-space indentation, except that arrays of scalars stay on one line: readable
// diffs without one line per supported parameter.
export function stringify(value, indent) {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    }
    if (value.length === 0) return '[]';
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + stringify(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    const inner = indent + '  ';
    const members = keys.map((k) => `${inner}${JSON.stringify(k)}: ${stringify(value[k], inner)}`);
    return `{\n${members.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

export function printSummary(models, stats, outPath) {
  const perProvider = {};
  for (const e of models.flatMap((m) => m.endpoints)) perProvider[e.provider] = (perProvider[e.provider] ?? 0) + 1;
  const lines = [`wrote ${path.relative(process.cwd(), outPath) || outPath}`, `models: ${models.length}`];
  lines.push(`endpoints: ${Object.keys(perProvider).sort(compare).map((p) => `${p}=${perProvider[p]}`).join(' ')}`);
  let unmatched = 0;
  for (const slug of Object.keys(stats.native).sort(compare)) {
    const s = stats.native[slug];
    unmatched += s.unmatched.length;
    lines.push(`  ${slug}: matched=${s.matched} own=${s.own} superseded=${s.superseded} unmatched=${s.unmatched.length}`
      + (s.unmatched.length ? ` (${s.unmatched.join(', ')})` : ''));
  }
  lines.push(`unmatched models.dev entries (skipped): ${unmatched}`);
  lines.push(`embedding models (hand-curated): ${stats.embeddings}`);
  lines.push(`dropped prices: ${stats.dropped.length}${stats.dropped.length ? ` (${stats.dropped.join('; ')})` : ''}`);
  lines.push(`skipped OpenRouter models: ${stats.skipped.length}${stats.skipped.length ? ` (${stats.skipped.join(', ')})` : ''}`);
  process.stderr.write(lines.join('\n') + '\n');
}

// Plain code-point order, independent of the machine's locale.
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
