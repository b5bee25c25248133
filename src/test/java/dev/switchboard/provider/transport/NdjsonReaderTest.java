package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.provider.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class NdjsonReaderTest {

  @Test
  void splitsLinesAcrossChunksAndSkipsBlankOnes() {
    NdjsonReader reader = NdjsonReader.create();
    var frames = new ArrayList<Frame.JsonLine>();
    byte[] body = "{\"a\":\"é\"}\r\n\n  \n{\"b\":2}\r{\"c\":3}".getBytes(StandardCharsets.UTF_8);
    for (byte b : body) {
      frames.addAll(reader.feed(new byte[] {b}));
    }
    assertThat(frames).containsExactly(new Frame.JsonLine("{\"a\":\"é\"}"), new Frame.JsonLine("{\"b\":2}"));
    // NDJSON has no terminator: the last line counts even without its newline.
    assertThat(reader.finish()).containsExactly(new Frame.JsonLine("{\"c\":3}"));
    assertThat(reader.finish()).isEmpty();
  }
}
