package dev.switchboard.provider.bedrock;

import dev.switchboard.provider.AdapterFixtures;
import dev.switchboard.provider.StreamSplitProperty;

/**
 * Every recorded ConverseStream body, split at random byte boundaries (inside preludes, headers,
 * payloads, multi-byte characters and checksums), decodes to exactly the events of the unsplit
 * body ({@link StreamSplitProperty}).
 */
class BedrockStreamSplitPropertyTest extends StreamSplitProperty {

  @Override
  protected AdapterFixtures fixtures() {
    return BedrockFixtureTest.FIXTURES;
  }
}
