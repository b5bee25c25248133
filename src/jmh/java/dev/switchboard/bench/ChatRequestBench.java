package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.http.openai.OpenAiChatDialect;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.openaicompat.OpenAiCompatAdapter;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfiles;
import java.nio.charset.StandardCharsets;
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
 * Decoding an inbound OpenAI chat request (wire JSON → canonical) and encoding it for an
 * OpenAI-compatible upstream (canonical → wire JSON): the two JSON passes every request makes.
 * The request is the one bench/run.sh sends, plus a tool and a short conversation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ChatRequestBench {
  static final String BODY = """
      {"model":"acme/chat","max_tokens":256,"temperature":0.7,"stream":false,
       "messages":[{"role":"system","content":"You are a concise assistant."},
        {"role":"user","content":"Explain in one paragraph what an AI model gateway does and why one would run it."},
        {"role":"assistant","content":"It puts one endpoint in front of many model providers."},
        {"role":"user","content":"And what does it cost in latency?"}],
       "tools":[{"type":"function","function":{"name":"lookup","description":"Looks a term up.",
        "parameters":{"type":"object","properties":{"term":{"type":"string"}},"required":["term"]}}}]}
      """;

  private OpenAiChatDialect dialect;
  private byte[] body;
  private ChatRequest request;
  private OpenAiCompatAdapter adapter;
  private Target target;

  @Setup
  public void setUp() {
    ObjectMapper json = JsonMapper.builder().build();
    dialect = new OpenAiChatDialect(json);
    body = BODY.getBytes(StandardCharsets.UTF_8);
    request = dialect.read(body);
    String url = "http://127.0.0.1:9/v1";
    adapter = new OpenAiCompatAdapter(OpenAiCompatProfiles.load().generic("bench", url));
    target = new Target("bench", "chat-model", url);
  }

  @Benchmark
  public ChatRequest decode() {
    return dialect.read(body);
  }

  @Benchmark
  public UpstreamRequest encode() {
    return adapter.encode(request, target);
  }

  @Benchmark
  public UpstreamRequest decodeAndEncode() {
    return adapter.encode(dialect.read(body), target);
  }
}
