package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** One part of a message's content. Closed union; unknown part types survive as {@link Unknown}. */
public sealed interface ContentPart {

  /** Plain text. */
  record Text(String text) implements ContentPart {
    public Text {
      requireNonNull(text, "text");
    }
  }

  /**
   * An image, by URL or as a {@code data:} URL carrying base64 bytes.
   *
   * @param detail OpenAI's {@code low}/{@code high}/{@code auto}, when the client gave one
   */
  record Image(String url, @Nullable String detail) implements ContentPart {
    public Image {
      requireNonNull(url, "url");
    }
  }

  /** Base64 audio with its format ({@code wav}, {@code mp3}). */
  record InputAudio(String data, String format) implements ContentPart {
    public InputAudio {
      requireNonNull(data, "data");
      requireNonNull(format, "format");
    }
  }

  /**
   * A file (for example a PDF) given inline as a data URL or by a provider file id.
   *
   * @param fileData a {@code data:} URL, or null when {@code fileId} is given
   */
  record File(@Nullable String filename, @Nullable String fileData, @Nullable String fileId)
      implements ContentPart {}

  /** A part type the gateway does not know; kept verbatim so same-family upstreams still get it. */
  record Unknown(String type, RawJson raw) implements ContentPart {
    public Unknown {
      requireNonNull(type, "type");
      requireNonNull(raw, "raw");
    }
  }
}
