package dev.switchboard.mock;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.mock.MockFaults.Interruption;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A running mock provider: an HTTP server that speaks OpenAI's chat completions, Anthropic's
 * Messages, Gemini's generateContent and Bedrock's Converse APIs with deterministic answers and
 * faults on demand.
 *
 * <p>Routes, by path, with any prefix: {@code POST …/chat/completions} (OpenAI, and Azure
 * OpenAI's {@code /openai/deployments/{d}/chat/completions?api-version=…}), {@code POST
 * …/v1/messages} (Anthropic, {@link AnthropicMockWire}), {@code POST
 * …/models/{model}:generateContent} and {@code …:streamGenerateContent?alt=sse} (Gemini, {@link
 * GeminiMockWire}), {@code POST …/model/{modelId}/converse} and {@code …/converse-stream}
 * (Bedrock, {@link BedrockMockWire}), {@code POST …/embeddings} ({@link MockEmbeddings}), {@code GET …/models} (OpenAI's list), and for tests {@code GET /mock/stats}
 * and {@code POST /mock/reset}. What is answered is described on {@link MockAnswers}, the faults
 * on {@link MockFaults}; both are the same in every dialect.
 *
 * <p>Concurrency: one server per core shares the port, all handlers run on event loops and never
 * block; delays are timers. Shared state is the atomic {@link MockStats} and an id counter.
 */
public final class MockUpstream implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MockUpstream.class.getName());
  private static final List<String> MODEL_IDS =
      List.of("mock-gpt", "mock-gpt-mini", "mock-reasoner");
  private static final long MODELS_CREATED = 1_700_000_000L;
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

  private final Vertx vertx;
  private final MockOptions options;
  private final ObjectMapper mapper = new ObjectMapper();
  private final OpenAiMockWire openai = new OpenAiMockWire(mapper.getFactory());
  private final AnthropicMockWire anthropic = new AnthropicMockWire(mapper.getFactory());
  private final GeminiMockWire gemini = new GeminiMockWire(mapper.getFactory());
  private final MockEmbeddings embeddings;
  private final BedrockMockWire bedrock = new BedrockMockWire(mapper.getFactory());
  private final MockStats stats = new MockStats();
  private final AtomicLong ids = new AtomicLong();
  private final byte[] models = openai.models(MODEL_IDS, MODELS_CREATED);
  private final AtomicInteger port = new AtomicInteger();

  private MockUpstream(Vertx vertx, MockOptions options) {
    this.vertx = vertx;
    this.embeddings = new MockEmbeddings(vertx, mapper.getFactory(), openai);
    this.options = options;
  }

  /**
   * Starts a mock and waits until it listens.
   *
   * @throws IllegalStateException when the address cannot be bound
   */
  public static MockUpstream start(MockOptions options) {
    Vertx vertx = Vertx.vertx();
    MockUpstream mock = new MockUpstream(vertx, options);
    try {
      mock.listen();
    } catch (RuntimeException e) {
      vertx.close();
      throw new IllegalStateException(
          "mock-upstream could not listen on %s:%d: %s"
              .formatted(options.host(), options.port(), e.getMessage()),
          e);
    }
    LOG.log(System.Logger.Level.DEBUG, "mock-upstream listening on {0}", mock.baseUrl());
    return mock;
  }

  // One server per event loop; Vert.x shares a port among servers bound to the same address and
  // spreads connections round-robin. Port 0 is never shared, but a negative port is Vert.x's
  // "ephemeral port shared by every server asking for this same negative number".
  private void listen() {
    HttpServerOptions serverOptions =
        new HttpServerOptions()
            .setHost(options.host())
            .setPort(options.port() == 0 ? -1 : options.port())
            .setTcpNoDelay(true);
    Future<String> deployed =
        vertx.deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    return vertx
                        .createHttpServer(serverOptions)
                        .requestHandler(MockUpstream.this::handle)
                        .listen()
                        .onSuccess(server -> port.set(server.actualPort()));
                  }
                },
            new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()));
    deployed.toCompletionStage().toCompletableFuture().join();
  }

  /** The port actually bound (the ephemeral one when {@link MockOptions#port()} was 0). */
  public int port() {
    return port.get();
  }

  /** The OpenAI base URL clients use, {@code http://host:port/v1}. */
  public String baseUrl() {
    return rootUrl() + "/v1";
  }

  /**
   * The server root, {@code http://host:port}: the base URL for Anthropic (whose paths carry
   * {@code /v1}), Azure OpenAI and Bedrock; Gemini's is {@code rootUrl() + "/v1beta"}.
   */
  public String rootUrl() {
    return "http://%s:%d".formatted(options.host(), port());
  }

  public MockOptions options() {
    return options;
  }

  /** What has reached the mock since start or the last reset. */
  public MockStats.Snapshot stats() {
    return stats.snapshot();
  }

  /** Zeroes the counters, as {@code POST /mock/reset} does. */
  public void resetStats() {
    stats.reset();
  }

  /** Stops listening, drops open connections (stalled streams too) and waits until done. */
  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private void handle(HttpServerRequest req) {
    String path = requireNonNullElse(req.path(), "/");
    HttpMethod method = req.method();
    MockDialect dialect = method == HttpMethod.POST ? dialect(path) : null;
    if (path.startsWith("/mock/")) {
      admin(req, path, method);
    } else if (dialect != null) {
      req.body().onSuccess(body -> chat(req, body, dialect));
    } else if (method == HttpMethod.POST && path.endsWith("/embeddings")) {
      req.body().onSuccess(body -> embed(req, body));
    } else if (method == HttpMethod.GET && path.endsWith("/models")) {
      MockCall call = new MockCall(path, req.headers(), req.params());
      MockDialect.Rejection rejection =
          options.apiKey() == null ? null : openai.authenticate(call, options.apiKey());
      if (rejection == null) {
        json(req.response(), 200, Buffer.buffer(models));
      } else {
        json(req.response(), rejection.status, Buffer.buffer(rejection.body));
      }
    } else {
      error(req.response(), openai, 404, "Unknown request URL: " + method + " " + path);
    }
  }

  /** The dialect a chat path speaks, or null when the path is no chat endpoint. */
  private @Nullable MockDialect dialect(String path) {
    if (path.endsWith("/chat/completions")) {
      return openai; // Azure's /openai/deployments/{d}/chat/completions too
    }
    if (path.endsWith("/v1/messages")) {
      return anthropic;
    }
    if (GeminiMockWire.isGeminiPath(path)) {
      return gemini;
    }
    if (BedrockMockWire.isBedrockPath(path)) {
      return bedrock;
    }
    return null;
  }

  private void admin(HttpServerRequest req, String path, HttpMethod method) {
    if (method == HttpMethod.GET && path.equals("/mock/stats")) {
      json(req.response(), 200, Buffer.buffer(stats.snapshot().toJson(mapper.getNodeFactory()).toString()));
    } else if (method == HttpMethod.POST && path.equals("/mock/reset")) {
      stats.reset();
      json(req.response(), 200, Buffer.buffer("{\"reset\":true}"));
    } else {
      error(req.response(), openai, 404, "Unknown request URL: " + method + " " + path);
    }
  }

  private static String protocol(HttpServerRequest req) {
    return switch (req.version()) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
    };
  }

  private void embed(HttpServerRequest req, Buffer body) {
    JsonNode root = readJson(body);
    stats.request(root, headers(req), req.uri(), protocol(req));
    MockCall call = new MockCall(requireNonNullElse(req.path(), "/"), req.headers(), req.params());
    MockDialect.Rejection rejection =
        options.apiKey() == null ? null : openai.authenticate(call, options.apiKey());
    if (rejection != null) {
      json(req.response(), rejection.status, Buffer.buffer(rejection.body));
      return;
    }
    embeddings.handle(req.response(), root, req.getHeader(MockFaults.HEADER), options.firstByteDelay());
  }

  private void chat(HttpServerRequest req, Buffer body, MockDialect dialect) {
    JsonNode root = readJson(body);
    stats.request(root, headers(req), req.uri(), protocol(req));
    HttpServerResponse res = req.response();
    MockCall call = new MockCall(requireNonNullElse(req.path(), "/"), req.headers(), req.params());
    MockDialect.Rejection rejection =
        options.apiKey() == null ? null : dialect.authenticate(call, options.apiKey());
    if (rejection != null) {
      rejection.headers.forEach(res::putHeader);
      json(res, rejection.status, Buffer.buffer(rejection.body));
      return;
    }
    if (root == null) {
      error(res, dialect, 400, "We could not parse the JSON body of your request.");
      return;
    }
    MockRequest request;
    try {
      request = dialect.parse(root, call);
    } catch (IllegalArgumentException e) {
      error(res, dialect, 400, String.valueOf(e.getMessage()));
      return;
    }
    MockFaults faults =
        MockFaults.parse(request.prompt().lastUserText(), req.getHeader(MockFaults.HEADER));
    // Replaced by MockStream's own handler once a stream starts, so a cancelled stream counts once.
    res.closeHandler(
        v -> {
          if (!res.headWritten()) {
            stats.requestAbandoned();
          }
        });
    long delay = faults.firstByteDelayOr(options.firstByteDelay()).toMillis();
    if (delay > 0) {
      vertx.setTimer(delay, id -> respond(res, dialect, request, faults));
    } else {
      respond(res, dialect, request, faults);
    }
  }

  private void respond(
      HttpServerResponse res, MockDialect dialect, MockRequest request, MockFaults faults) {
    if (res.closed()) {
      return; // the client gave up during the first-byte delay; nothing was started
    }
    if (faults.interruption() instanceof Interruption.Reset(int after)
        && (after == 0 || !request.stream())) {
      res.closeHandler(null); // the mock hangs up itself: not an abandoned request
      res.reset();
      return;
    }
    if (faults.status() != null) {
      int status = faults.status();
      error(res, dialect, status, "Mock upstream fault: HTTP " + status + " on request.");
      return;
    }
    MockPrompt prompt = request.prompt();
    MockAnswer answer = MockAnswers.answer(prompt, faults.reasoning() || request.reasoning());
    MockReply reply =
        new MockReply(
            dialect.responseId(ids.incrementAndGet()),
            System.currentTimeMillis() / 1000,
            prompt.model());
    if (request.stream()) {
      stream(res, dialect, request, faults, answer, reply);
    } else {
      complete(res, dialect, faults, answer, reply);
    }
  }

  private void complete(
      HttpServerResponse res,
      MockDialect dialect,
      MockFaults faults,
      MockAnswer answer,
      MockReply reply) {
    switch (faults.interruption()) {
      case Interruption.Stall(int after) -> {
        return; // never answers; the client's timeout is what is being tested
      }
      case Interruption.ErrorFrame(int after) -> {
        error(res, dialect, 502, "Mock upstream fault: the answer failed.");
        return;
      }
      default -> {}
    }
    byte[] body = dialect.completion(reply, answer, !faults.noUsage());
    dialect.responseHeaders(reply).forEach(res::putHeader);
    boolean cut = faults.malformed() || faults.interruption() instanceof Interruption.Truncate;
    json(res, 200, Buffer.buffer(cut ? half(body) : body));
  }

  private void stream(
      HttpServerResponse res,
      MockDialect dialect,
      MockRequest request,
      MockFaults faults,
      MockAnswer answer,
      MockReply reply) {
    boolean usage = request.includeUsage() && !faults.noUsage();
    List<? extends MockFrame> events =
        dialect.events(reply, answer, faults.chunksOr(options.chunks()), usage);
    List<Buffer> frames = new ArrayList<>(events.size() + 1);
    if (faults.malformed()) {
      // A valid first event, then one cut in half: the decoder must fail mid-stream.
      if (events.size() > 1) {
        frames.add(events.get(0).frame());
      }
      frames.add(events.get(Math.min(1, events.size() - 1)).cut().frame());
    } else {
      events.forEach(e -> frames.add(e.frame()));
    }
    Buffer end = dialect.endOfStream();
    if (end != null) {
      frames.add(end);
    }
    dialect.responseHeaders(reply).forEach(res::putHeader);
    res.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, dialect.streamContentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
    Buffer errorFrame =
        dialect.streamError(faults.errorStatus(), "Mock upstream fault: the stream failed.").frame();
    long delay = faults.chunkDelayOr(options.chunkDelay()).toMillis();
    new MockStream(vertx, res, frames, delay, faults.interruption(), errorFrame, stats).start();
  }

  private static void error(
      HttpServerResponse res, MockDialect dialect, int status, String message) {
    dialect.errorHeaders(status).forEach(res::putHeader);
    json(res, status, Buffer.buffer(dialect.error(status, message)));
  }

  private static void json(HttpServerResponse res, int status, Buffer body) {
    res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }

  private @Nullable JsonNode readJson(Buffer body) {
    try {
      JsonNode node = mapper.readTree(body.getBytes());
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  private static Map<String, String> headers(HttpServerRequest req) {
    Map<String, String> headers = new TreeMap<>();
    req.headers()
        .forEach(
            h ->
                headers.merge(
                    h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b));
    return headers;
  }

  private static byte[] half(byte[] json) {
    return Arrays.copyOf(json, json.length / 2);
  }
}
