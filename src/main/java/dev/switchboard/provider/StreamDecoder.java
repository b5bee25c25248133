package dev.switchboard.provider;

import dev.switchboard.core.StreamEvent;
import java.util.List;

/**
 * Turns one stream's frames into canonical events. Stateful, one instance per stream, not
 * thread-safe: the transport calls it from one thread at a time.
 */
public interface StreamDecoder {

  /** Decodes one frame; may return no events (keep-alives, ignored event types). */
  List<StreamEvent> onFrame(Frame frame);

  /**
   * The upstream body ended. Returns what is still owed; after this, the events emitted in total
   * end with a {@link StreamEvent.Finish} for each choice or with a {@link StreamEvent.Failure}
   * (for example when the provider closed the stream without saying it was done).
   */
  List<StreamEvent> onEnd();
}
