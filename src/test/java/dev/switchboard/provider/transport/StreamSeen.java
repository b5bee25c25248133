package dev.switchboard.provider.transport;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Frame;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** What a listener saw of an upstream stream: its frames, then how it ended (null error: normally). */
record StreamSeen(List<Frame> frames, @Nullable UpstreamError error) {

  /** Starts {@code stream} with a listener that keeps everything, and waits up to 10 s for its end. */
  static StreamSeen read(UpstreamStream stream) throws Exception {
    var frames = new CopyOnWriteArrayList<Frame>();
    var done = new CompletableFuture<StreamSeen>();
    stream.start(new UpstreamStream.Listener() {
      @Override
      public void onFrames(List<? extends Frame> batch) {
        frames.addAll(batch);
      }

      @Override
      public void onEnd(List<? extends Frame> remaining) {
        frames.addAll(remaining);
        done.complete(new StreamSeen(List.copyOf(frames), null));
      }

      @Override
      public void onError(UpstreamError error) {
        done.complete(new StreamSeen(List.copyOf(frames), error));
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }
}
