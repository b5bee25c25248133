package dev.switchboard.provider.openaicompat;

import dev.switchboard.provider.AdapterFixtures;
import dev.switchboard.provider.StreamSplitProperty;

/**
 * Every recorded {@code upstream.sse} of the OpenAI-compatible providers, split at random byte
 * boundaries (through CRLFs and inside multi-byte characters), decodes to exactly the events of
 * the unsplit body ({@link StreamSplitProperty}).
 */
class OpenAiStreamSplitPropertyTest extends StreamSplitProperty {

  @Override
  protected AdapterFixtures fixtures() {
    return OpenAiCompatFixtureTest.FIXTURES;
  }
}
