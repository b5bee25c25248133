// Data tables for tools/generate-catalog.mjs: which providers get native endpoints, what they do
// with prompts, and the few model names no rule can match. Edit here, then regenerate.

// Native providers: our provider slug -> models.dev key, the author namespace of its first-party
// models (null for hosts of other labs' open-weight models), and which optional parameters its
// API accepts for models that qualify (see nativeParameters). `host: true` marks a cloud that
// serves one lab's models under the lab's ids (Azure: OpenAI's): matched like a first-party
// provider, but its leftovers are skipped, never made models. `ids: 'bedrock'` reads Bedrock's
// `[region.]vendor.name-vN:M` ids (see BEDROCK_VENDORS).
export const NATIVE_PROVIDERS = {
  openai: { key: 'openai', author: 'openai', seed: true, responseFormat: true },
  anthropic: { key: 'anthropic', author: 'anthropic', seed: false, responseFormat: false },
  google: { key: 'google', author: 'google', seed: true, responseFormat: true },
  deepseek: { key: 'deepseek', author: 'deepseek', seed: false, responseFormat: true },
  xai: { key: 'xai', author: 'x-ai', seed: true, responseFormat: true },
  mistral: { key: 'mistral', author: 'mistralai', seed: true, responseFormat: true },
  groq: { key: 'groq', author: null, seed: true, responseFormat: true },
  together: { key: 'togetherai', author: null, seed: true, responseFormat: true },
  fireworks: { key: 'fireworks-ai', author: null, seed: true, responseFormat: true },
  deepinfra: { key: 'deepinfra', author: null, seed: true, responseFormat: true },
  cerebras: { key: 'cerebras', author: null, seed: true, responseFormat: true },
  // The model id is the operator's deployment name; the models.dev id is the conventional one.
  azure: { key: 'azure', author: 'openai', host: true, seed: true, responseFormat: true },
  // Converse has no seed (nor logprobs); response_format is served as a forced answer tool.
  bedrock: { key: 'amazon-bedrock', author: null, ids: 'bedrock', seed: false, responseFormat: true },
};

// Bedrock's vendor prefix (`anthropic.`, `meta.`, ...) -> OpenRouter author; other vendors' models
// are skipped. A leading cross-region inference profile (`us.`, `eu.`, ...) is dropped first.
export const BEDROCK_VENDORS = {
  amazon: 'amazon', anthropic: 'anthropic', meta: 'meta-llama', deepseek: 'deepseek',
  mistral: 'mistralai', cohere: 'cohere', ai21: 'ai21',
};
export const BEDROCK_REGIONS = ['us', 'eu', 'apac', 'global', 'us-gov', 'jp', 'au', 'ca'];

// What each provider does with prompts, from its public API terms, read conservatively: when a
// provider's terms allow training or are unclear, we say so. Missing providers get UNKNOWN.
export const UNKNOWN_POLICY = { training: false, retains_prompts: true, zdr: false };
export const DATA_POLICIES = {
  // API data is not used for training by default; kept up to 30 days for abuse monitoring.
  openai: { training: false, retains_prompts: true, zdr: false },
  // Commercial API data is not used for training; retained for a limited period.
  anthropic: { training: false, retains_prompts: true, zdr: false },
  // Paid Gemini API: no training, retained for abuse monitoring. (The free tier may train.)
  google: { training: false, retains_prompts: true, zdr: false },
  // DeepSeek's privacy policy allows using inputs to improve its services.
  deepseek: { training: true, retains_prompts: true, zdr: false },
  // xAI's API terms: no training on API data unless the customer opts in; retained 30 days.
  xai: { training: false, retains_prompts: true, zdr: false },
  // Paid La Plateforme: no training (the free "Experiment" tier may); retained 30 days.
  mistral: { training: false, retains_prompts: true, zdr: false },
  // Azure OpenAI: prompts are not used for training; kept up to 30 days for abuse monitoring
  // unless Microsoft approves the customer's opt-out, which the catalog cannot know.
  azure: { training: false, retains_prompts: true, zdr: false },
  // Bedrock: AWS says it neither trains on nor stores prompts by default, but the account's model
  // invocation logging can keep them and the reference snapshots do not state the policy, so read
  // conservatively: retains, no ZDR.
  bedrock: { training: false, retains_prompts: true, zdr: false },
  // OpenRouter's own logging is opt-in, but it forwards to upstreams whose retention varies, and
  // training depends on the account's privacy setting, which the catalog cannot know.
  openrouter: UNKNOWN_POLICY,
};

// Host-specific model names that no normalisation can tie to OpenRouter's id, checked by hand
// against both snapshots. Keep this table small: every entry is a fact someone must maintain.
export const MANUAL_MATCHES = {
  groq: {
    'llama-3.1-8b-instant': 'meta-llama/llama-3.1-8b-instruct',
    'llama-3.3-70b-versatile': 'meta-llama/llama-3.3-70b-instruct',
    'meta-llama/llama-4-maverick-17b-128e-instruct': 'meta-llama/llama-4-maverick',
    'meta-llama/llama-4-scout-17b-16e-instruct': 'meta-llama/llama-4-scout',
    'moonshotai/kimi-k2-instruct': 'moonshotai/kimi-k2',
    'moonshotai/kimi-k2-instruct-0905': 'moonshotai/kimi-k2-0905',
  },
  together: {
    'meta-llama/Llama-3.3-70B-Instruct-Turbo': 'meta-llama/llama-3.3-70b-instruct',
    'moonshotai/Kimi-K2-Instruct': 'moonshotai/kimi-k2',
    'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8': 'qwen/qwen3-coder',
  },
  fireworks: {
    'accounts/fireworks/models/deepseek-v3-0324': 'deepseek/deepseek-chat-v3-0324',
    'accounts/fireworks/models/deepseek-v3p1': 'deepseek/deepseek-chat-v3.1',
    'accounts/fireworks/models/kimi-k2-instruct': 'moonshotai/kimi-k2',
    'accounts/fireworks/models/qwen3-coder-480b-a35b-instruct': 'qwen/qwen3-coder',
  },
  deepinfra: {
    'Qwen/Qwen3-Coder-480B-A35B-Instruct': 'qwen/qwen3-coder',
    'moonshotai/Kimi-K2-Instruct': 'moonshotai/kimi-k2',
  },
  // Bedrock's Llama 3.2 11B is the vision model; Llama 4's 17B-16E/128E are OpenRouter's bare names.
  bedrock: {
    'deepseek.r1-v1:0': 'deepseek/deepseek-r1',
    'meta.llama3-2-11b-instruct-v1:0': 'meta-llama/llama-3.2-11b-vision-instruct',
    'meta.llama4-maverick-17b-instruct-v1:0': 'meta-llama/llama-4-maverick',
    'meta.llama4-scout-17b-instruct-v1:0': 'meta-llama/llama-4-scout',
  },
  cerebras: {
    'qwen-3-235b-a22b-instruct-2507': 'qwen/qwen3-235b-a22b-2507',
    'qwen-3-coder-480b': 'qwen/qwen3-coder',
  },
};

// Hugging Face style namespaces used by hosts -> OpenRouter author.
export const NAMESPACE_AUTHORS = {
  'openai': 'openai', 'meta-llama': 'meta-llama', 'qwen': 'qwen', 'deepseek-ai': 'deepseek',
  'moonshotai': 'moonshotai', 'zai-org': 'z-ai', 'mistralai': 'mistralai', 'google': 'google',
};
// Bare model-name prefixes used by hosts -> OpenRouter author; first match wins.
export const PREFIX_AUTHORS = [
  ['gpt-oss', 'openai'], ['llama', 'meta-llama'], ['qwq', 'qwen'], ['qwen', 'qwen'],
  ['deepseek', 'deepseek'], ['gemma', 'google'], ['kimi', 'moonshotai'], ['glm', 'z-ai'],
  ['mistral', 'mistralai'], ['mixtral', 'mistralai'], ['codestral', 'mistralai'],
];
export const TOKENIZERS = {
  openai: 'GPT', anthropic: 'Claude', google: 'Gemini', deepseek: 'DeepSeek', 'x-ai': 'Grok',
  mistralai: 'Mistral',
};
export const MODALITY_ORDER = ['text', 'image', 'file', 'audio', 'video'];
export const PRICE_KEYS = ['prompt', 'completion', 'cache_read', 'cache_write', 'reasoning', 'request', 'image'];
export const OPENROUTER_PRICE_KEYS = {
  prompt: 'prompt', completion: 'completion', input_cache_read: 'cache_read',
  input_cache_write: 'cache_write', internal_reasoning: 'reasoning', request: 'request', image: 'image',
};

// Embedding models, hand-curated: neither snapshot has them (OpenRouter's GET /models lists only
// text-output models unless asked for output_modalities=embeddings, and models.dev lists no
// embedding model for these providers). Prices are the providers' public list prices in USD per
// million input tokens, as decimal strings (embeddings have no output tokens, so completion is 0);
// `created` is the public release date. Sources:
//   openai     https://platform.openai.com/docs/pricing ("Embeddings") and
//              https://platform.openai.com/docs/guides/embeddings (8191-token input limit;
//              `dimensions` only on the text-embedding-3 models)
//   google     https://ai.google.dev/gemini-api/docs/pricing ("Gemini Embedding", paid tier) and
//              https://ai.google.dev/gemini-api/docs/embeddings (2048-token input limit,
//              outputDimensionality, taskType). text-embedding-004 is left out: Google retired it.
//   mistral    https://mistral.ai/pricing#api-pricing ("mistral-embed") and
//              https://docs.mistral.ai/capabilities/embeddings (8k context, 1024 fixed dimensions)
//   openrouter openai/text-embedding-3-small at 0.00000002 per token is the example of OpenRouter's
//              own spec for GET /embeddings/models (shared/reference/specs/openrouter.yaml); the
//              other models are not listed there, so they get no OpenRouter endpoint.
// `parameters` are OpenRouter's names of what the endpoint honours: `dimensions` (shorter
// vectors), `input_type` (query vs document, Gemini's taskType).
export const EMBEDDING_MODELS = [
  {
    id: 'openai/text-embedding-3-small', name: 'OpenAI: Text Embedding 3 Small', created: '2024-01-25',
    description: "OpenAI's small third-generation text embedding model: 1536 dimensions by default, shortened with `dimensions`.",
    context_length: 8192,
    endpoints: [
      { provider: 'openai', model: 'text-embedding-3-small', input: '0.02', parameters: ['dimensions'] },
      { provider: 'openrouter', model: 'openai/text-embedding-3-small', input: '0.02', parameters: ['dimensions'] },
    ],
  },
  {
    id: 'openai/text-embedding-3-large', name: 'OpenAI: Text Embedding 3 Large', created: '2024-01-25',
    description: "OpenAI's large third-generation text embedding model: 3072 dimensions by default, shortened with `dimensions`.",
    context_length: 8192,
    endpoints: [
      { provider: 'openai', model: 'text-embedding-3-large', input: '0.13', parameters: ['dimensions'] },
    ],
  },
  {
    id: 'openai/text-embedding-ada-002', name: 'OpenAI: Text Embedding Ada 002', created: '2022-12-15',
    description: "OpenAI's second-generation text embedding model: 1536 fixed dimensions.",
    context_length: 8192,
    endpoints: [
      { provider: 'openai', model: 'text-embedding-ada-002', input: '0.1', parameters: [] },
    ],
  },
  {
    id: 'google/gemini-embedding-001', name: 'Google: Gemini Embedding 001', created: '2025-07-14',
    description: "Google's Gemini text embedding model: 3072 dimensions by default (768 and 1536 recommended when shorter), task types for queries and documents.",
    context_length: 2048,
    endpoints: [
      { provider: 'google', model: 'gemini-embedding-001', input: '0.15', parameters: ['dimensions', 'input_type'] },
    ],
  },
  {
    id: 'mistralai/mistral-embed', name: 'Mistral: Mistral Embed', created: '2023-12-11',
    description: "Mistral's general-purpose text embedding model: 1024 fixed dimensions.",
    context_length: 8192,
    endpoints: [
      { provider: 'mistral', model: 'mistral-embed', input: '0.1', parameters: [] },
    ],
  },
];
