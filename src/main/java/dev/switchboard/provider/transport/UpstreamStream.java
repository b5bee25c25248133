package dev.switchboard.provider.transport;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.UpstreamException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A streamed upstream body, delivered as frames to one {@link Listener}.
 *
 * <p>Frames that arrive before {@link #start} are held, so the attempt loop can decide to commit
 * to this upstream (first byte seen) before anything reaches the client. Each network read is
 * delivered as one batch, so the egress can write and flush once per read rather than per event.
 *
 * <p>Concurrency: Vert.x calls the handlers on the upstream request's context (an event loop);
 * {@link #start} hands the listener over on that context too, so the held frames and the ones that
 * arrive after them reach the listener in order and on one thread. {@link #pause}, {@link #resume}
 * and {@link #cancel} may come from another thread, so state changes are synchronised.
 */
public final class UpstreamStream {

  /** Receives the stream; called on one thread at a time. */
  public interface Listener {
    /** One network read's worth of frames (never empty). */
    void onFrames(List<? extends Frame> frames);

    /** The body ended normally; {@code remaining} holds any unterminated last frame. */
    void onEnd(List<? extends Frame> remaining);

    /** The connection failed or timed out mid-body. */
    void onError(UpstreamError error);
  }

  private final Vertx vertx;
  private final Context context;
  private final HttpClientRequest request;
  private final HttpClientResponse response;
  private final FrameReader reader;
  private final long idleTimeoutMs;
  private final String provider;
  private @Nullable Listener listener;
  private final List<Frame> pending = new ArrayList<>();
  private boolean ended;
  private @Nullable UpstreamError failed;
  private boolean cancelled;
  // The idle timer is ours, not the request's: Vert.x cancels a request's idle timeout when the
  // response starts or fails, but not when its body ends, so every finished stream stayed
  // reachable from a pending timer (request, response, relay) for the whole idle timeout.
  private volatile long lastChunkNanos = System.nanoTime();
  private long idleTimer = -1;

  UpstreamStream(Vertx vertx, Context context, HttpClientRequest request, HttpClientResponse response,
      FrameReader reader, long idleTimeoutMs, String provider) {
    this.vertx = vertx;
    this.context = context;
    this.request = request;
    this.response = response;
    this.reader = reader;
    this.idleTimeoutMs = idleTimeoutMs;
    this.provider = provider;
  }

  /** Called by the transport for each body chunk. */
  void onChunk(Buffer chunk) {
    lastChunkNanos = System.nanoTime();
    List<? extends Frame> frames;
    try {
      frames = reader.feed(chunk.getBytes());
    } catch (UpstreamException unframeable) {
      // A body the reader cannot frame (a line over the cap, an event-stream checksum failure)
      // will not recover, and skipping ahead would silently lose part of the answer: report it
      // and stop reading. Thrown out of this handler, Vert.x would only log it.
      fail(unframeable.error());
      request.reset();
      return;
    }
    Listener target;
    synchronized (this) {
      target = listener;
      if (target == null) {
        pending.addAll(frames);
        return;
      }
    }
    if (!frames.isEmpty()) {
      target.onFrames(frames);
    }
  }

  void onBodyEnd() {
    List<? extends Frame> remaining = reader.finish();
    Listener target;
    synchronized (this) {
      if (failed != null || cancelled) {
        return; // the listener was told already, or asked to hear nothing more
      }
      ended = true;
      stopIdleTimer();
      target = listener;
      if (target == null) {
        pending.addAll(remaining);
        return;
      }
    }
    target.onEnd(remaining);
  }

  void onFailure(Throwable failure) {
    fail(TransportErrors.classify(failure, provider, "mid-stream"));
  }

  private void fail(UpstreamError error) {
    Listener target;
    synchronized (this) {
      if (cancelled || ended || failed != null) {
        return;
      }
      failed = error;
      stopIdleTimer();
      target = listener;
    }
    if (target != null) {
      target.onError(error);
    }
  }

  /**
   * Attaches the listener and delivers what arrived so far, on the stream's context; switches to the
   * idle timeout.
   */
  public void start(Listener newListener) {
    context.runOnContext(v -> attach(newListener));
  }

  private void attach(Listener newListener) {
    List<Frame> held;
    boolean endedNow;
    UpstreamError failure;
    synchronized (this) {
      listener = newListener;
      held = List.copyOf(pending);
      pending.clear();
      endedNow = ended;
      failure = failed;
    }
    armIdleTimer(idleTimeoutMs);
    if (!held.isEmpty() && !endedNow) {
      newListener.onFrames(held);
    }
    if (endedNow) {
      newListener.onEnd(held);
    } else if (failure != null) {
      newListener.onError(failure);
    }
  }

  /** Stops reading from the upstream (back-pressure from a slow client). */
  public void pause() {
    response.pause();
  }

  public void resume() {
    response.resume();
  }

  /** Aborts the upstream request; no listener callbacks follow. */
  public void cancel() {
    synchronized (this) {
      if (cancelled || ended) {
        return;
      }
      cancelled = true;
      stopIdleTimer();
    }
    request.reset();
  }

  private void armIdleTimer(long delayMs) {
    synchronized (this) {
      if (ended || cancelled || failed != null) {
        return;
      }
      idleTimer = vertx.setTimer(Math.max(1, delayMs), id -> onIdleTimer());
    }
  }

  private void onIdleTimer() {
    long silentMs = (System.nanoTime() - lastChunkNanos) / 1_000_000;
    if (silentMs < idleTimeoutMs) {
      armIdleTimer(idleTimeoutMs - silentMs);
      return;
    }
    // Reported as the request's own idle timeout was: a timeout mid-stream.
    fail(TransportErrors.classify(new TimeoutException(), provider, "mid-stream"));
    request.reset();
  }

  /** Whether an idle timer is still scheduled (tests: a finished stream must leave none behind). */
  synchronized boolean idleTimerPending() {
    return idleTimer >= 0;
  }

  /** Call holding this stream's monitor. */
  private void stopIdleTimer() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }
}
