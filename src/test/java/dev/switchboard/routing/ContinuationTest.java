package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinuationTest {
  private static final ChatRequest ASKED = ChatRequest.of("acme/chat", List.of(Message.text(Role.USER, "Hi")))
      .withMaxTokens(100);

  @Test
  void thePrefixBecomesTheLastAssistantMessageWithoutTrailingWhitespace() {
    ChatRequest continuation = Continuation.of(ASKED, "Hello there, ", 4);

    assertThat(continuation.messages()).hasSize(2);
    assertThat(continuation.messages().getLast().role()).isEqualTo(Role.ASSISTANT);
    assertThat(continuation.messages().getLast().textContent()).isEqualTo("Hello there,");
    assertThat(ASKED.messages()).as("the request as sent is untouched").hasSize(1);
    assertThat(Continuation.trimsLeading("Hello there, ")).isTrue();
    assertThat(Continuation.trimsLeading("Hello there,")).isFalse();
  }

  @Test
  void theTokensSoFarComeOffTheCap() {
    assertThat(Continuation.of(ASKED, "Hello", 30).maxTokens()).isEqualTo(70);
    assertThat(Continuation.of(ASKED, "Hello", 500).maxTokens()).as("never below one").isEqualTo(1);
    assertThat(Continuation.of(ASKED.withMaxTokens(null), "Hello", 30).maxTokens()).isNull();
  }

  @Test
  void anEmptyPrefixIsAPlainRetry() {
    assertThat(Continuation.of(ASKED, "  ", 0).messages()).isEqualTo(ASKED.messages());
  }
}
