package dev.switchboard.mock;

import dev.switchboard.mock.MockFaults.Interruption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Plays one streamed response (SSE or AWS event stream): sends its frames, paced by a timer when a chunk delay is set, and cuts it
 * short as its {@link Interruption} says. Runs entirely on the request's event loop, so its fields
 * need no synchronisation; without a delay the frames go out in a single write.
 */
final class MockStream {
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final List<Buffer> frames;
  private final long delayMillis;
  private final Interruption interruption;
  private final Buffer errorFrame;
  private final MockStats stats;
  private final int limit;
  private int next;
  private boolean over;
  private long timer = -1;

  /**
   * @param frames the whole stream, {@code [DONE]} included
   * @param errorFrame what {@link Interruption.ErrorFrame} sends before closing
   */
  MockStream(
      Vertx vertx,
      HttpServerResponse response,
      List<Buffer> frames,
      long delayMillis,
      Interruption interruption,
      Buffer errorFrame,
      MockStats stats) {
    this.vertx = vertx;
    this.response = response;
    this.frames = List.copyOf(frames);
    this.delayMillis = delayMillis;
    this.interruption = interruption;
    this.errorFrame = errorFrame;
    this.stats = stats;
    this.limit =
        switch (interruption) {
          case Interruption.None() -> this.frames.size();
          case Interruption.Stall(int after) -> Math.min(after, this.frames.size());
          case Interruption.ErrorFrame(int after) -> Math.min(after, this.frames.size());
          case Interruption.Reset(int after) -> Math.min(after, this.frames.size());
          case Interruption.Truncate(int after) -> Math.min(after, this.frames.size());
        };
  }

  void start() {
    stats.streamStarted();
    response.closeHandler(v -> onClose());
    if (delayMillis == 0) {
      if (limit > 0) {
        response.write(MockChunks.join(frames.subList(0, limit)));
      } else {
        response.writeHead();
      }
      next = limit;
      interrupt();
    } else {
      // Headers go out at once so the client sees the stream start before the first delay.
      response.writeHead();
      step();
    }
  }

  private void step() {
    timer = -1;
    if (over) {
      return;
    }
    if (next >= limit) {
      interrupt();
      return;
    }
    response.write(frames.get(next++));
    timer = vertx.setTimer(delayMillis, id -> step());
  }

  private void interrupt() {
    switch (interruption) {
      case Interruption.None() -> end(null);
      case Interruption.Stall(int after) -> {
        // Silent on purpose: the connection stays open until the client gives up.
      }
      case Interruption.ErrorFrame(int after) -> end(errorFrame);
      case Interruption.Reset(int after) -> {
        over = true;
        response.reset();
      }
      case Interruption.Truncate(int after) -> end(null);
    }
  }

  private void end(@Nullable Buffer last) {
    over = true;
    (last == null ? response.end() : response.end(last))
        .onSuccess(v -> stats.streamCompleted())
        .onFailure(e -> stats.streamCancelled());
  }

  private void onClose() {
    if (over) {
      return;
    }
    over = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    stats.streamCancelled();
  }
}
