package dev.switchboard.mock;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard mock-upstream}: runs a {@link MockUpstream} until the process is killed. */
@Command(
    name = "mock-upstream",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a deterministic provider emulator for demos, tests and load tests: OpenAI (and Azure"
          + " OpenAI) chat completions, Anthropic Messages (/v1/messages), Gemini"
          + " generateContent (/v1beta/models/{model}:generateContent) and Bedrock Converse"
          + " (/model/{modelId}/converse, /converse-stream).",
      "Faults per request: '#mock:status=429', '#mock:delay=250', '#mock:stall-after=3', ... in the"
          + " last user message, or the x-mock-fault header."
    })
public final class MockUpstreamCommand implements Callable<Integer> {
  @Spec private @Nullable CommandSpec spec;

  @Option(names = "--host", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
  private String host = MockOptions.DEFAULT_HOST;

  @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  private int port = MockOptions.DEFAULT_PORT;

  @Option(
      names = "--first-byte-delay-ms",
      description = "Wait before each response starts, in ms (default: ${DEFAULT-VALUE}).")
  private long firstByteDelayMs;

  @Option(
      names = "--chunk-delay-ms",
      description = "Wait between SSE chunks, in ms (default: ${DEFAULT-VALUE}).")
  private long chunkDelayMs;

  @Option(
      names = "--chunks",
      description = "Pieces a streamed answer is split into (default: ${DEFAULT-VALUE}).")
  private int chunks = MockOptions.DEFAULT_CHUNKS;

  @Option(
      names = "--api-key",
      description =
          "Require the key as each provider takes it: 'Authorization: Bearer KEY', 'api-key',"
              + " 'x-api-key' or 'x-goog-api-key' (default: no authentication).")
  private @Nullable String apiKey;

  /** The options the command line asked for; validated by {@link MockOptions}. */
  MockOptions options() {
    return new MockOptions(
        host,
        port,
        Duration.ofMillis(firstByteDelayMs),
        Duration.ofMillis(chunkDelayMs),
        chunks,
        apiKey);
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out =
        spec == null ? new PrintWriter(System.out, true) : spec.commandLine().getOut();
    MockUpstream mock;
    try {
      mock = MockUpstream.start(options());
    } catch (IllegalStateException e) {
      PrintWriter err =
          spec == null ? new PrintWriter(System.err, true) : spec.commandLine().getErr();
      err.println(e.getMessage());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      mock.close();
                      stopped.countDown();
                    }));
    out.println("mock-upstream listening on " + mock.baseUrl());
    out.flush();
    stopped.await();
    return 0;
  }
}
