package dev.switchboard.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
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

  @Test
  void reportsAPortInUseAndExitsWithOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(new MockUpstreamCommand()).setErr(new PrintWriter(err));

      int exit = cli.execute("--port", String.valueOf(taken.getLocalPort()));

      assertThat(exit).isEqualTo(1);
      assertThat(err.toString()).contains("could not listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
