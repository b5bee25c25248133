package dev.switchboard.provider.anthropic;

import dev.switchboard.provider.AdapterFixtures;
import dev.switchboard.provider.StreamSplitProperty;

/**
 * Every recorded Anthropic {@code upstream.sse}, split at random byte boundaries (inside {@code
 * event:} and {@code data:} lines and inside multi-byte characters), decodes to exactly the events
 * of the unsplit body ({@link StreamSplitProperty}).
 */
class AnthropicStreamSplitPropertyTest extends StreamSplitProperty {

  @Override
  protected AdapterFixtures fixtures() {
    return AnthropicFixtureTest.FIXTURES;
  }

  @Override
  protected int minimumStreams() {
    return 5;
  }
}
