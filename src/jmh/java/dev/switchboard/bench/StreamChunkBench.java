package dev.switchboard.bench;

import dev.switchboard.core.StreamEvent;
import dev.switchboard.http.StreamWriter;
import dev.switchboard.http.openai.OpenAiChatDialect;
import dev.switchboard.http.openai.Stamp;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.anthropic.AnthropicAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfiles;
import dev.switchboard.provider.transport.SseReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One streamed text chunk through the gateway: the upstream's SSE event as bytes off the wire, split
 * out by the transport's SSE reader, decoded to canonical stream events, then written as an OpenAI
 * {@code chat.completion.chunk} SSE frame. The decoders are primed with their stream's opening
 * events, so each operation is a mid-stream text delta.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class StreamChunkBench {
  static final Frame.Sse OPENAI_FIRST = new Frame.Sse(null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1764000000,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
      + "\"content\":\"\"},\"finish_reason\":null}]}");
  static final Frame.Sse OPENAI_TEXT = new Frame.Sse(null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1764000000,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" gateway\"},"
      + "\"finish_reason\":null}]}");
  static final Frame.Sse ANTHROPIC_START = new Frame.Sse("message_start", "{\"type\":\"message_start\",\"message\":"
      + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
      + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}");
  static final Frame.Sse ANTHROPIC_BLOCK = new Frame.Sse("content_block_start", "{\"type\":\"content_block_start\","
      + "\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  static final Frame.Sse ANTHROPIC_TEXT = new Frame.Sse("content_block_delta", "{\"type\":\"content_block_delta\","
      + "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" gateway\"}}");

  private static final byte[] OPENAI_TEXT_WIRE = wire(OPENAI_TEXT);
  private static final byte[] ANTHROPIC_TEXT_WIRE = wire(ANTHROPIC_TEXT);

  private final SseReader openAiReader = SseReader.create();
  private final SseReader anthropicReader = SseReader.create();
  private StreamDecoder openAi;
  private StreamDecoder anthropic;
  private StreamWriter writer;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

  @Setup
  public void setUp() {
    Target target = new Target("bench", "model", "http://127.0.0.1:9/v1");
    openAi = new OpenAiCompatAdapter(OpenAiCompatProfiles.load().generic("bench", target.baseUrl()))
        .newStreamDecoder(target);
    openAi.onFrame(OPENAI_FIRST);
    anthropic = AnthropicAdapter.create().newStreamDecoder(target);
    anthropic.onFrame(ANTHROPIC_START);
    anthropic.onFrame(ANTHROPIC_BLOCK);
    writer = new OpenAiChatDialect(new com.fasterxml.jackson.databind.ObjectMapper())
        .streamWriter(new Stamp("gen-1", 1764000000L, "acme/chat", "bench", null));
    ByteArrayOutputStream start = new ByteArrayOutputStream();
    writer.appendStart(start);
  }

  @Benchmark
  public int openAiToOpenAi() {
    return relay(openAi, openAiReader.feed(OPENAI_TEXT_WIRE));
  }

  @Benchmark
  public int anthropicToOpenAi() {
    return relay(anthropic, anthropicReader.feed(ANTHROPIC_TEXT_WIRE));
  }

  private int relay(StreamDecoder decoder, List<? extends Frame> frames) {
    out.reset();
    for (Frame frame : frames) {
      for (StreamEvent event : decoder.onFrame(frame)) {
        writer.append(out, event);
      }
    }
    return out.size();
  }

  private static byte[] wire(Frame.Sse frame) {
    String event = frame.event() == null ? "" : "event: " + frame.event() + "\n";
    return (event + "data: " + frame.data() + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
