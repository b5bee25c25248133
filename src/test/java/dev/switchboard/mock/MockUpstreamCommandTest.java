package dev.switchboard.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MockUpstreamCommandTest {
  @Test
  void defaultsListenOnTheDocumentedPort() {
    MockUpstreamCommand command = new MockUpstreamCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.options())
        .isEqualTo(new MockOptions("127.0.0.1", 18080, Duration.ZERO, Duration.ZERO, 8, null));
  }

  @Test
  void flagsMapToOptions() {
    MockUpstreamCommand command = new MockUpstreamCommand();
    new CommandLine(command)
        .parseArgs(
            "--host",
            "0.0.0.0",
            "--port",
            "9000",
            "--first-byte-delay-ms",
            "20",
            "--chunk-delay-ms",
            "5",
            "--chunks",
            "3",
            "--api-key",
            "sk-test");

    assertThat(command.options())
        .isEqualTo(
            new MockOptions(
                "0.0.0.0", 9000, Duration.ofMillis(20), Duration.ofMillis(5), 3, "sk-test"));
    assertThat(command.options().toString()).doesNotContain("sk-test");
  }
}
