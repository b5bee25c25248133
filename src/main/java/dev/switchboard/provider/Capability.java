package dev.switchboard.provider;

/** Optional features an adapter or endpoint can honour. */
public enum Capability {
  STREAM,
  TOOLS,
  PARALLEL_TOOLS,
  VISION,
  DOCUMENTS,
  AUDIO,
  JSON_MODE,
  JSON_SCHEMA,
  REASONING,
  CACHING,
  LOGPROBS,
  SEED
}
