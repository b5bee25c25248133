package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.UpstreamError;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  @Test
  void handsTheReaderTheParserOnTheObject() {
    String first = JsonBodies.readObject(JSON, "{\"a\":\"b\"}", json -> {
      assertThat(json.currentToken()).isEqualTo(JsonToken.START_OBJECT);
      json.nextToken();
      return json.currentName();
    });
    assertThat(first).isEqualTo("a");
  }

  @Test
  void aBodyThatIsNotAJsonObjectIsMalformed() {
    for (String body : new String[] {"", "not json", "[1,2,3]", "\"text\"", "{\"a\":"}) {
      assertThatThrownBy(() -> JsonBodies.readObject(JSON, body, json -> {
        while (json.nextToken() != null) {
          json.skipChildren();
        }
        return "read";
      }))
          .as("'%s'", body)
          .isInstanceOfSatisfying(
              UpstreamException.class, e -> assertThat(e.error().kind()).isEqualTo(UpstreamError.Kind.MALFORMED));
    }
  }

  @Test
  void whatTheReaderThrowsGoesThroughUnchanged() {
    var refused = new UpstreamException(UpstreamError.of(UpstreamError.Kind.RATE_LIMITED, 200, "slow down"));
    assertThatThrownBy(() -> JsonBodies.readObject(JSON, "{}", json -> {
      throw refused;
    })).isSameAs(refused);
  }
}
