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
  SEED,
  /**
   * A conversation ending in an assistant message is answered by continuing that message (a
   * prefill), not with a new turn: what stream resume needs to carry on a broken answer.
   */
  CONTINUATION
}
