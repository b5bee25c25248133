// Data tables for tools/generate-catalog.mjs: which providers get native endpoints, what they do
// with prompts, and the few model names no rule can match. Edit here, then regenerate.

// Native providers: our provider slug -> models.dev key, the author namespace of its first-party
// models (null for hosts of other labs' open-weight models), and which optional parameters its
// API accepts for models that qualify (see nativeParameters).
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
};

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
