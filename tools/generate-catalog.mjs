#!/usr/bin/env node
// Generates Switchboard's bundled default model catalog from two public snapshots:
//   - OpenRouter's GET /api/v1/models dump (prices in USD per token, as decimal strings)
//   - the models.dev catalog (prices in USD per million tokens, as JSON numbers)
// plus a small hand-curated table of embedding models (EMBEDDING_MODELS in catalog/tables.mjs),
// which neither snapshot lists.
//
// Usage: node tools/generate-catalog.mjs [--openrouter FILE] [--models-dev FILE] [--out FILE]
//
// The output is deterministic: models sorted by id, endpoints by provider, fixed key order, no
// timestamps, so re-running on the same inputs yields a byte-identical file. Plain Node 20, no
// npm dependencies. docs/catalog.md describes the rules; this file is the authority.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBedrock } from './catalog/bedrock.mjs';
import { printSummary, stringify } from './catalog/output.mjs';
import { compareDecimal, formatDecimal, normaliseDecimal, parseDecimal, perMillionToPerToken } from './catalog/decimal.mjs';
import {
  DATA_POLICIES, EMBEDDING_MODELS, MANUAL_MATCHES, MODALITY_ORDER, NAMESPACE_AUTHORS, NATIVE_PROVIDERS,
  OPENROUTER_PRICE_KEYS, PREFIX_AUTHORS, PRICE_KEYS, TOKENIZERS, UNKNOWN_POLICY,
} from './catalog/tables.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OPENROUTER_FILE = 'openrouter-models-2026-05-01.json';
const MODELS_DEV_FILE = 'models-dev-catalog-2025-09.json';
const DEFAULT_OUT = 'src/main/resources/dev/switchboard/catalog/default-catalog.json';

function main(argv) {
  const args = parseArgs(argv);
  // Arguments are relative to the working directory; defaults to the repository.
  const openrouterPath = args.openrouter ? path.resolve(args.openrouter) : findReference(OPENROUTER_FILE);
  const modelsDevPath = args['models-dev'] ? path.resolve(args['models-dev']) : findReference(MODELS_DEV_FILE);
  const outPath = args.out ? path.resolve(args.out) : path.join(REPO_ROOT, DEFAULT_OUT);

  const openrouterText = readFileSync(openrouterPath, 'utf8');
  const modelsDevText = readFileSync(modelsDevPath, 'utf8');
  const stats = { skipped: [], dropped: [], native: {}, embeddings: 0 };

  const models = new Map();
  for (const raw of parseOpenRouter(JSON.parse(openrouterText))) {
    const model = openRouterModel(raw, stats);
    if (model) models.set(model.id, model);
  }
  addNativeEndpoints(models, JSON.parse(modelsDevText).providers, stats);
  addEmbeddingModels(models, stats);

  const sorted = [...models.values()].sort((a, b) => compare(a.id, b.id));
  for (const model of sorted) finishModel(model);
  const catalog = {
    version: 1,
    generated_from: [
      { file: path.basename(openrouterPath), sha256: sha256(openrouterText) },
      { file: path.basename(modelsDevPath), sha256: sha256(modelsDevText) },
    ],
    models: sorted,
  };
  mkdirSync(path.dirname(outPath), { recursive: true });
  writeFileSync(outPath, stringify(catalog, '') + '\n');
  printSummary(sorted, stats, outPath);
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === '--help' || name === '-h') {
      process.stdout.write(
        'usage: node tools/generate-catalog.mjs [--openrouter FILE] [--models-dev FILE] [--out FILE]\n');
      process.exit(0);
    }
    if (!['--openrouter', '--models-dev', '--out'].includes(name) || i + 1 >= argv.length) {
      fail(`unknown or incomplete argument '${name}' (try --help)`);
    }
    args[name.slice(2)] = argv[++i];
  }
  return args;
}

// The snapshots live in shared/reference beside the repository (../shared from /work/main); a git
// worktree sits one level deeper, so look in each ancestor of the repo root in turn.
function findReference(file) {
  for (let dir = path.dirname(REPO_ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'reference', file);
    if (existsSync(candidate)) return candidate;
    if (dir === path.dirname(dir)) {
      fail(`cannot find shared/reference/${file} above ${REPO_ROOT}; pass its path`);
    }
  }
}

function parseOpenRouter(json) {
  const list = Array.isArray(json) ? json : json.data;
  if (!Array.isArray(list)) fail('OpenRouter dump: expected an array or {"data": [...]}');
  return list;
}

function openRouterModel(raw, stats) {
  const pricing = {};
  for (const [theirs, ours] of Object.entries(OPENROUTER_PRICE_KEYS)) {
    if (raw.pricing[theirs] === undefined) continue;
    // "-1" marks a router whose price depends on the model it picks; no fixed price to charge.
    if (String(raw.pricing[theirs]).startsWith('-')) {
      stats.skipped.push(`${raw.id} (variable price)`);
      return null;
    }
    pricing[ours] = normaliseDecimal(String(raw.pricing[theirs]));
  }
  const arch = raw.architecture ?? {};
  const context = positive(raw.context_length, `${raw.id} context_length`);
  return {
    id: raw.id,
    canonical_slug: raw.canonical_slug ?? raw.id,
    name: raw.name ?? raw.id,
    created: raw.created ?? 0,
    description: raw.description ?? '',
    context_length: context,
    architecture: {
      modality: arch.modality ?? 'text->text',
      input_modalities: arch.input_modalities ?? ['text'],
      output_modalities: arch.output_modalities ?? ['text'],
      tokenizer: arch.tokenizer ?? 'Other',
      instruct_type: arch.instruct_type ?? null,
    },
    supported_parameters: [],
    endpoints: [{
      provider: 'openrouter',
      model: raw.id,
      context_length: raw.top_provider?.context_length ?? context,
      max_completion_tokens: raw.top_provider?.max_completion_tokens ?? null,
      quantization: null,
      pricing: orderPricing(pricing),
      supported_parameters: [...new Set(raw.supported_parameters ?? [])].sort(compare),
      data_policy: policy('openrouter'),
    }],
  };
}

// Adds one endpoint per native provider and matched model; first-party models that OpenRouter
// does not list become models of their own. When several entries of one provider land on the
// same model (dated snapshots, -latest aliases) the best-ranked one wins, the rest are dropped.
// First-party providers go first, so that hosts (Azure, Bedrock) also find the models they made.
function addNativeEndpoints(models, providers, stats) {
  const index = openRouterIndex(models);
  const hosts = (slug) => Number(!NATIVE_PROVIDERS[slug].author || Boolean(NATIVE_PROVIDERS[slug].host));
  for (const slug of Object.keys(NATIVE_PROVIDERS).sort((a, b) => hosts(a) - hosts(b) || compare(a, b))) {
    const spec = NATIVE_PROVIDERS[slug];
    const entries = providers[spec.key]?.models;
    if (!entries) fail(`models.dev has no provider '${spec.key}'`);
    const s = (stats.native[slug] = { matched: 0, own: 0, unmatched: [], superseded: 0 });
    const groups = new Map();
    for (const id of Object.keys(entries).sort(compare)) {
      const entry = entries[id];
      const candidate = matchEntry(slug, spec, entry, index, models);
      if (!candidate) {
        s.unmatched.push(id);
        continue;
      }
      const group = groups.get(candidate.group) ?? [];
      group.push(candidate);
      groups.set(candidate.group, group);
    }
    for (const key of [...groups.keys()].sort(compare)) {
      const [best, ...rest] = groups.get(key).sort(rank);
      s.superseded += rest.length;
      const target = best.target;
      let model = models.get(target);
      if (model) {
        s.matched++;
      } else {
        model = ownModel(target, best.entry, providers[spec.key].name);
        models.set(target, model);
        s.own++;
        const unlisted = key.slice(0, -' (own)'.length);
        if (!index.has(unlisted)) index.set(unlisted, target);
      }
      if (model.endpoints.some((e) => e.provider === slug)) fail(`${target}: two ${slug} endpoints`);
      model.endpoints.push(nativeEndpoint(slug, spec, best.entry, stats));
    }
  }
}

function openRouterIndex(models) {
  const index = new Map();
  const secondary = new Map();
  for (const id of [...models.keys()].sort(compare)) {
    // Variants (":free", ":thinking") are separate offers; native endpoints serve the base model.
    if (id.includes(':')) continue;
    const [author, local] = splitId(id);
    const key = normalise(local);
    index.set(`${author}/${key}`, id);
    // Google's stable versions carry a "-001" suffix that the native API also accepts without.
    const unversioned = key.replace(/-\d{3}$/, '');
    if (unversioned !== key) secondary.set(`${author}/${unversioned}`, id);
  }
  for (const [key, id] of secondary) if (!index.has(key)) index.set(key, id);
  return index;
}

function matchEntry(slug, spec, entry, index, models) {
  const manual = MANUAL_MATCHES[slug]?.[entry.id];
  if (manual) {
    if (!models.has(manual)) fail(`manual match ${slug}:${entry.id} -> ${manual}: no such OpenRouter model`);
    return { group: manual, target: manual, tier: 0, entry };
  }
  const resolved = resolveAuthor(spec, entry.id);
  if (!resolved) return null;
  // Every candidate name exactly (tier 0) before any with its date stripped (tier 1).
  for (const [tier, key] of [[0, normalise], [1, (l) => stripVersion(normalise(l))]]) {
    for (const local of resolved.locals) {
      const hit = index.get(`${resolved.author}/${key(local)}`);
      if (hit) return { group: hit, target: hit, tier, entry };
    }
  }
  // Only a provider's own models have an author we can vouch for; hosts' leftovers are skipped.
  if (!spec.author || spec.host) return null;
  const exact = normalise(entry.id);
  const stripped = stripVersion(exact);
  // Snapshots of one unlisted model (grok-2, grok-2-1212, grok-2-latest) become one model.
  const group = `${spec.author}/${stripped} (own)`;
  return { group, target: `${spec.author}/${entry.id}`, tier: exact === stripped ? 0 : 1, entry };
}

function resolveAuthor(spec, id) {
  if (spec.ids === 'bedrock') return resolveBedrock(id);
  if (spec.author) return { author: spec.author, locals: [id] };
  const local = id.replace(/^accounts\/[^/]+\/models\//, '');
  if (local.includes('/')) {
    const [namespace, rest] = splitId(local);
    const author = NAMESPACE_AUTHORS[namespace.toLowerCase()];
    return author ? { author, locals: [rest] } : null;
  }
  const lower = local.toLowerCase();
  const prefix = PREFIX_AUTHORS.find(([p]) => lower.startsWith(p));
  return prefix ? { author: prefix[1], locals: [local] } : null;
}

// Lowercase, Fireworks' "3p1" for "3.1", and "." and "-" treated alike (claude-sonnet-4.5 on
// OpenRouter is claude-sonnet-4-5 at Anthropic).
function normalise(local) {
  return local.toLowerCase().replace(/(\d)p(\d)/g, '$1.$2').replaceAll('.', '-');
}

// Strips trailing -latest and date stamps (20250514, 2024-08-06, 04-17, 09-2025, MMDD, YYMM).
function stripVersion(key) {
  const patterns = [
    /-latest$/, /-\d{8}$/, /-\d{4}-\d{2}-\d{2}$/, /-(0[1-9]|1[0-2])-20\d\d$/,
    /-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, /-(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/,
    /-2[3-9](0[1-9]|1[0-2])$/,
  ];
  for (let changed = true; changed;) {
    changed = false;
    for (const p of patterns) {
      const next = key.replace(p, '');
      if (next !== key && next.length > 0) {
        key = next;
        changed = true;
      }
    }
  }
  return key;
}

// Exact id match first, then "-latest" (the provider's pointer to its newest snapshot), then
// the newest release, then the greatest id, so the choice never depends on input order.
function rank(a, b) {
  return a.tier - b.tier
    || Number(b.entry.id.endsWith('-latest')) - Number(a.entry.id.endsWith('-latest'))
    || compare(b.entry.release_date ?? '', a.entry.release_date ?? '')
    || compare(b.entry.id, a.entry.id);
}

function ownModel(id, entry, providerName) {
  const input = modalities(entry.modalities?.input);
  const output = modalities(entry.modalities?.output);
  const author = splitId(id)[0];
  return {
    id,
    canonical_slug: id,
    name: `${providerName}: ${entry.name ?? entry.id}`,
    created: entry.release_date ? Math.floor(Date.parse(`${entry.release_date}T00:00:00Z`) / 1000) || 0 : 0,
    description: '',
    context_length: positive(entry.limit?.context, `${id} limit.context`),
    architecture: {
      modality: `${input.join('+')}->${output.join('+')}`,
      input_modalities: input,
      output_modalities: output,
      tokenizer: TOKENIZERS[author] ?? 'Other',
      instruct_type: null,
    },
    supported_parameters: [],
    endpoints: [],
  };
}

function modalities(list) {
  const mapped = new Set((list ?? ['text']).map((m) => (m === 'pdf' ? 'file' : m)));
  const known = MODALITY_ORDER.filter((m) => mapped.has(m));
  return known.concat([...mapped].filter((m) => !MODALITY_ORDER.includes(m)).sort(compare));
}

function nativeEndpoint(slug, spec, entry, stats) {
  const cost = entry.cost ?? {};
  const pricing = {
    prompt: perMillionToPerToken(cost.input ?? 0, `${slug}:${entry.id} input`),
    completion: perMillionToPerToken(cost.output ?? 0, `${slug}:${entry.id} output`),
  };
  if (cost.cache_read !== undefined) {
    const cacheRead = perMillionToPerToken(cost.cache_read, `${slug}:${entry.id} cache_read`);
    // A cache hit never costs more than an uncached token; a higher figure is a data error
    // (models.dev lists gpt-3.5-turbo, which has no prompt cache, at 1.25 > 0.5). Dropping it
    // bills cached tokens at the prompt price, which is the safe side.
    if (compareDecimal(cacheRead, pricing.prompt) <= 0) pricing.cache_read = cacheRead;
    else stats.dropped.push(`${slug}:${entry.id} cache_read ${cacheRead} > prompt ${pricing.prompt}`);
  }
  if (cost.cache_write !== undefined) {
    pricing.cache_write = perMillionToPerToken(cost.cache_write, `${slug}:${entry.id} cache_write`);
  }
  if (cost.reasoning !== undefined) {
    pricing.reasoning = perMillionToPerToken(cost.reasoning, `${slug}:${entry.id} reasoning`);
  }
  return {
    provider: slug,
    model: entry.id,
    context_length: positive(entry.limit?.context, `${slug}:${entry.id} limit.context`),
    max_completion_tokens: entry.limit?.output > 0 ? entry.limit.output : null,
    quantization: null,
    pricing: orderPricing(pricing),
    supported_parameters: nativeParameters(spec, entry),
    data_policy: policy(slug),
  };
}

// Conservative on purpose: a parameter is listed only when both the model's flags and the
// provider's API make it safe. max_tokens always; sampling (temperature, top_p, seed) only when
// models.dev says the model accepts temperature (OpenAI's reasoning models reject it); stop only
// for non-reasoning models with sampling (OpenAI o-series and xAI grok-4 reject it); tools and
// tool_choice when tool_call; response_format for tool-capable models on providers with a JSON
// mode; reasoning and include_reasoning when reasoning.
function nativeParameters(spec, entry) {
  const params = new Set(['max_tokens']);
  if (entry.temperature) {
    params.add('temperature');
    params.add('top_p');
    if (spec.seed) params.add('seed');
    if (!entry.reasoning) params.add('stop');
  }
  if (entry.tool_call) {
    params.add('tools');
    params.add('tool_choice');
    if (spec.responseFormat) params.add('response_format');
  }
  if (entry.reasoning) {
    params.add('reasoning');
    params.add('include_reasoning');
  }
  return [...params].sort(compare);
}

// The hand-curated embedding models. A model the OpenRouter dump already has (a dump taken with
// output_modalities=embeddings) keeps its metadata and gains the table's missing endpoints.
function addEmbeddingModels(models, stats) {
  for (const entry of EMBEDDING_MODELS) {
    let model = models.get(entry.id);
    if (!model) {
      const author = splitId(entry.id)[0];
      model = {
        id: entry.id,
        canonical_slug: entry.id,
        name: entry.name,
        created: Math.floor(Date.parse(`${entry.created}T00:00:00Z`) / 1000),
        description: entry.description,
        context_length: positive(entry.context_length, `${entry.id} context_length`),
        architecture: {
          modality: 'text->embeddings',
          input_modalities: ['text'],
          output_modalities: ['embeddings'],
          tokenizer: TOKENIZERS[author] ?? 'Other',
          instruct_type: null,
        },
        supported_parameters: [],
        endpoints: [],
      };
      models.set(entry.id, model);
    }
    for (const e of entry.endpoints) {
      if (model.endpoints.some((existing) => existing.provider === e.provider)) continue;
      const input = parseDecimal(e.input, `${entry.id} ${e.provider} input`);
      model.endpoints.push({
        provider: e.provider,
        model: e.model,
        context_length: model.context_length,
        max_completion_tokens: null,
        quantization: null,
        // Per million to per token: a shift of the decimal point, exact.
        pricing: orderPricing({ prompt: formatDecimal({ digits: input.digits, scale: input.scale + 6 }), completion: '0' }),
        supported_parameters: [...e.parameters].sort(compare),
        data_policy: policy(e.provider),
      });
    }
    stats.embeddings++;
  }
}

function finishModel(model) {
  model.endpoints.sort((a, b) => compare(a.provider, b.provider));
  const union = new Set(model.endpoints.flatMap((e) => e.supported_parameters));
  model.supported_parameters = [...union].sort(compare);
}

function policy(slug) {
  const p = DATA_POLICIES[slug] ?? UNKNOWN_POLICY;
  return { training: p.training, retains_prompts: p.retains_prompts, zdr: p.zdr };
}

function orderPricing(pricing) {
  const ordered = {};
  for (const key of PRICE_KEYS) if (pricing[key] !== undefined) ordered[key] = pricing[key];
  return ordered;
}

function splitId(id) {
  const slash = id.indexOf('/');
  return [id.slice(0, slash), id.slice(slash + 1)];
}

function positive(value, what) {
  if (!Number.isInteger(value) || value <= 0) fail(`${what}: expected a positive integer, got ${value}`);
  return value;
}

// Plain code-point order, independent of the machine's locale.
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function fail(message) {
  process.stderr.write(`generate-catalog: ${message}\n`);
  process.exit(1);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  fail(error.message);
}
