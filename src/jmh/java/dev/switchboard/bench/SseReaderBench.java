package dev.switchboard.bench;

import dev.switchboard.provider.transport.SseReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The transport's SSE reader over the bench's whole 52-event stream (bench/run.sh's SSE answer: a role chunk,
 * 50 one-word text chunks, a finish chunk with usage, {@code [DONE]}), arriving in one read as it does from a
 * local upstream: splitting lines and cutting out each event's data.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseReaderBench {
  private static final byte[] BODY = body();

  private final SseReader reader = SseReader.create();

  @Benchmark
  public int wholeStream() {
    return reader.feed(BODY).size() + reader.finish().size();
  }

  private static byte[] body() {
    var body = new StringBuilder();
    String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0\",\"choices\":[{\"index\":0,";
    body.append(head).append("\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    for (int i = 0; i < 50; i++) {
      body.append(head).append("\"delta\":{\"content\":\" word").append(i)
          .append("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
    body.append(head).append("\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":50,\"total_tokens\":62}}\n\n");
    body.append("data: [DONE]\n\n");
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }
}
