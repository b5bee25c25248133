package dev.switchboard.http;

import dev.switchboard.core.Cancellation;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.transport.UpstreamStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Pumps one upstream stream to the client: decode each network read's frames, write the
 * resulting chunks as one buffer, and pause the upstream while the client cannot keep up.
 *
 * <p>Runs on the stream's event loop; {@link #start} returns at once, {@link #run} waits (on a virtual
 * thread) until the upstream ended, failed, or the client left.
 */
final class StreamRelay implements UpstreamStream.Listener {
  /** Bytes set aside per frame: a chat chunk in OpenAI's format is ~210 bytes with a short model id. */
  private static final int FRAME_SIZE_HINT = 256;

  /**
   * How the relay ended.
   *
   * @param completionText everything generated, for a token estimate (text, reasoning, tool calls)
   * @param text the visible answer text the client received: what a continuation must carry on
   * @param toolCalls whether tool-call deltas reached the client (such a stream is never resumed)
   * @param reasoning whether reasoning reached the client (nor is such a stream)
   */
  record Outcome(
      @Nullable Usage reportedUsage,
      @Nullable FinishReason finishReason,
      @Nullable String nativeFinishReason,
      @Nullable UpstreamError failure,
      boolean clientGone,
      String completionText,
      @Nullable Long firstTokenMillis,
      @Nullable String upstreamId,
      String text,
      boolean toolCalls,
      boolean reasoning) {}

  private final UpstreamStream stream;
  private final StreamDecoder decoder;
  private final StreamWriter writer;
  private final HttpServerResponse response;
  private final long startNanos;
  private final Promise<Outcome> done = Promise.promise();
  private final StringBuilder completion = new StringBuilder();
  private @Nullable Usage usage;
  private @Nullable FinishReason finish;
  private @Nullable String nativeFinish;
  private @Nullable UpstreamError failure;
  private @Nullable Long firstTokenMillis;
  private @Nullable String upstreamId;
  private final StringBuilder text = new StringBuilder();
  private boolean toolCalls;
  private boolean reasoning;
  /** A continuation: the client already has the start of the stream. */
  private final boolean continuing;
  /** Drop the continuation's leading whitespace (its prefix was sent without its trailing whitespace). */
  private boolean trimLeading;

  StreamRelay(UpstreamStream stream, StreamDecoder decoder, StreamWriter writer,
      HttpServerResponse response, long startNanos) {
    this(stream, decoder, writer, response, startNanos, false, false);
  }

  /**
   * @param continuing this stream continues one that broke: its start is not written again
   * @param trimLeading drop whitespace at the start of the continuation's text
   */
  StreamRelay(UpstreamStream stream, StreamDecoder decoder, StreamWriter writer,
      HttpServerResponse response, long startNanos, boolean continuing, boolean trimLeading) {
    this.stream = stream;
    this.decoder = decoder;
    this.writer = writer;
    this.response = response;
    this.startNanos = startNanos;
    this.continuing = continuing;
    this.trimLeading = trimLeading;
  }

  /** Relays the stream to its end, waiting for it (call from a virtual thread). */
  Outcome run(Cancellation cancellation) {
    return start(cancellation).await();
  }

  /**
   * Starts relaying and returns; the future completes when the upstream ended, failed, or the
   * client left, on the stream's event loop (or the thread that cancelled).
   */
  Future<Outcome> start(Cancellation cancellation) {
    cancellation.onCancel(() -> done.tryComplete(outcome(true)));
    response.drainHandler(v -> stream.resume());
    stream.start(this);
    return done.future();
  }

  @Override
  public void onFrames(List<? extends Frame> frames) {
    if (done.future().isComplete()) {
      return;
    }
    Frames out = new Frames(FRAME_SIZE_HINT * frames.size());
    for (Frame frame : frames) {
      write(out, decoder.onFrame(frame));
      if (failure != null) {
        break;
      }
    }
    flush(out);
    if (failure != null) {
      stream.cancel();
      done.tryComplete(outcome(false));
    } else if (response.writeQueueFull()) {
      stream.pause();
    }
  }

  @Override
  public void onEnd(List<? extends Frame> remaining) {
    if (done.future().isComplete()) {
      return;
    }
    // Sized for all of them: a stream that arrived whole before it was attached ends here with every
    // frame, and a buffer sized for one grew through six copies for the bench's 52 events.
    Frames out = new Frames(FRAME_SIZE_HINT * (remaining.size() + 1));
    for (Frame frame : remaining) {
      write(out, decoder.onFrame(frame));
    }
    if (failure == null) {
      write(out, decoder.onEnd());
    }
    flush(out);
    done.tryComplete(outcome(false));
  }

  @Override
  public void onError(UpstreamError error) {
    if (failure == null) {
      failure = error;
    }
    done.tryComplete(outcome(false));
  }

  private void write(ByteArrayOutputStream out, List<StreamEvent> events) {
    for (StreamEvent decoded : events) {
      if (failure != null) {
        return;
      }
      StreamEvent event = decoded;
      if (trimLeading && event instanceof StreamEvent.TextDelta(int choice, String delta)) {
        String kept = delta.stripLeading();
        if (kept.isEmpty()) {
          continue;
        }
        trimLeading = false;
        event = new StreamEvent.TextDelta(choice, kept);
      }
      switch (event) {
        case StreamEvent.Started(var id, var model) -> {
          upstreamId = id;
          if (continuing) {
            continue; // the client saw the stream start once; it must not see it twice
          }
        }
        case StreamEvent.TextDelta(int choice, String delta) -> {
          markFirstToken();
          completion.append(delta);
          text.append(delta);
        }
        case StreamEvent.ReasoningDelta(int choice, String delta) -> {
          markFirstToken();
          completion.append(delta);
          reasoning = true;
        }
        case StreamEvent.ToolCallDelta call -> {
          markFirstToken();
          toolCalls = true;
          completion.append(call.argumentsFragment());
          if (call.name() != null) {
            completion.append(call.name());
          }
        }
        case StreamEvent.UsageReport(Usage reported) -> usage = reported;
        case StreamEvent.Finish(int choice, FinishReason reason, String nativeReason) -> {
          if (finish == null) {
            finish = reason;
            nativeFinish = nativeReason;
          }
        }
        case StreamEvent.Failure(UpstreamError error) -> failure = error;
        case StreamEvent.Logprobs logprobs -> {}
        // Its text already streamed as reasoning deltas; the block adds no billable tokens.
        case StreamEvent.ReasoningDetail detail -> {}
      }
      writer.append(out, event);
    }
  }

  private void markFirstToken() {
    if (firstTokenMillis == null) {
      firstTokenMillis = (System.nanoTime() - startNanos) / 1_000_000;
    }
  }

  private void flush(Frames out) {
    if (out.size() > 0 && !response.closed()) {
      response.write(out.toBuffer());
    }
  }

  /**
   * The frames of one flush, written to the response in the array they were encoded into. With a
   * plain {@code ByteArrayOutputStream} each flush copied its bytes twice more ({@code toByteArray},
   * then {@code Buffer.buffer(byte[])}); the array is never written again once handed over.
   */
  private static final class Frames extends ByteArrayOutputStream {
    Frames(int size) {
      super(size);
    }

    BufferInternal toBuffer() {
      return BufferInternal.buffer(Unpooled.wrappedBuffer(buf, 0, count));
    }
  }

  private Outcome outcome(boolean clientGone) {
    return new Outcome(usage, finish, nativeFinish, failure, clientGone, completion.toString(),
        firstTokenMillis, upstreamId, text.toString(), toolCalls, reasoning);
  }
}
