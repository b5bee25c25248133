// Amazon Bedrock model ids for tools/generate-catalog.mjs: `[region.]vendor.name-vN[:M]`, e.g.
// `anthropic.claude-3-5-sonnet-20241022-v2:0`, `us.anthropic.…` (a cross-region inference
// profile) or `meta.llama3-3-70b-instruct-v1:0`.

import { BEDROCK_REGIONS, BEDROCK_VENDORS } from './tables.mjs';

// The OpenRouter author and the local names to try, best first: with Bedrock's `-vN` model version
// (Amazon's own ids keep it: `amazon/nova-pro-v1`), then without (`claude-3-5-haiku-20241022`).
// Meta's `llama3-3` is OpenRouter's `llama-3.3`. Null for vendors we do not map.
export function resolveBedrock(id) {
  let rest = id;
  const first = rest.indexOf('.');
  if (first > 0 && BEDROCK_REGIONS.includes(rest.slice(0, first))) rest = rest.slice(first + 1);
  const dot = rest.indexOf('.');
  const author = dot > 0 ? BEDROCK_VENDORS[rest.slice(0, dot)] : undefined;
  if (!author) return null;
  const local = rest.slice(dot + 1).replace(/:\d+$/, '').replace(/^llama(\d)/, 'llama-$1');
  const unversioned = local.replace(/-v\d+$/, '');
  return { author, locals: unversioned === local ? [local] : [local, unversioned] };
}
