package dev.switchboard.http.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.EmbeddingRequest.EncodingFormat;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.RawJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiEmbeddingsReaderTest {
  private final OpenAiEmbeddingsReader reader = new OpenAiEmbeddingsReader(OpenAiRequestReaderTest.JSON);

  @Test
  void readsASingleStringWithDefaults() {
    EmbeddingRequest request = read("{'model':'openai/text-embedding-3-small','input':'hello'}");

    assertThat(request).isEqualTo(EmbeddingRequest.of("openai/text-embedding-3-small", List.of("hello")));
    assertThat(request.requestedParameters()).isEmpty();
  }

  @Test
  void readsEveryField() {
    EmbeddingRequest request = read("{'model':'a/e','models':['a/e','b/e','b/e'],'input':['x','y'],"
        + "'dimensions':256,'encoding_format':'base64','input_type':'search_query','user':'u-1',"
        + "'provider':{'order':['openai'],'allow_fallbacks':false},'usage':{'include':true},'extra_body':{'k':1}}");

    assertThat(request.model()).isEqualTo("a/e");
    assertThat(request.fallbackModels()).containsExactly("b/e");
    assertThat(request.inputs()).containsExactly("x", "y");
    assertThat(request.dimensions()).isEqualTo(256);
    assertThat(request.encodingFormat()).isEqualTo(EncodingFormat.BASE64);
    assertThat(request.inputType()).isEqualTo("search_query");
    assertThat(request.user()).isEqualTo("u-1");
    assertThat(request.provider().order()).containsExactly("openai");
    assertThat(request.provider().allowFallbacks()).isFalse();
    // OpenRouter's own fields steer the gateway; anything else is kept for compatible upstreams.
    assertThat(request.extra()).isEqualTo(Map.of("extra_body", RawJson.of("{\"k\":1}")));
    assertThat(request.requestedParameters()).containsExactly("dimensions", "input_type");
  }

  @Test
  void theFirstOfModelsIsTheModelWhenModelIsMissing() {
    EmbeddingRequest request = read("{'models':['a/e','b/e'],'input':'x'}");
    assertThat(request.model()).isEqualTo("a/e");
    assertThat(request.fallbackModels()).containsExactly("b/e");
  }

  /** A body (single-quoted JSON), the param it must name, and what the message must say. */
  record Case(String name, String body, String param, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> invalid() {
    return Stream.of(
        new Case("no model", "{'input':'x'}", "model", "model is required"),
        new Case("no input", "{'model':'a/e'}", "input", "input is required"),
        new Case("input object", "{'model':'a/e','input':{}}", "input",
            "input must be a string or an array of strings, got an object"),
        new Case("empty array", "{'model':'a/e','input':[]}", "input", "at least one string"),
        new Case("empty string", "{'model':'a/e','input':''}", "input", "input must not be an empty string"),
        new Case("empty element", "{'model':'a/e','input':['a','']}", "input[1]",
            "input[1] must not be an empty string"),
        new Case("token ids", "{'model':'a/e','input':[1,2,3]}", "input[0]", "token-id inputs are not supported"),
        new Case("token id arrays", "{'model':'a/e','input':[[1,2],[3]]}", "input[0]",
            "token-id inputs are not supported"),
        new Case("multimodal", "{'model':'a/e','input':[{'content':[{'type':'text','text':'x'}]}]}", "input[0]",
            "multimodal inputs are not supported"),
        new Case("null element", "{'model':'a/e','input':['a',null]}", "input[1]", "input[1] must be a string, got null"),
        new Case("dimensions zero", "{'model':'a/e','input':'x','dimensions':0}", "dimensions",
            "dimensions must be between 1 and"),
        new Case("dimensions text", "{'model':'a/e','input':'x','dimensions':'256'}", "dimensions",
            "dimensions must be a whole number, got a string"),
        new Case("encoding format", "{'model':'a/e','input':'x','encoding_format':'int8'}", "encoding_format",
            "encoding_format must be \"float\" or \"base64\", got 'int8'"),
        new Case("input_type", "{'model':'a/e','input':'x','input_type':3}", "input_type",
            "input_type must be a string"),
        new Case("provider", "{'model':'a/e','input':'x','provider':[]}", "provider", "provider must be an object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWithA400NamingTheField(Case c) {
    assertThatThrownBy(() -> read(c.body()))
        .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.param()).isEqualTo(c.param()))
        .hasMessageContaining(c.message());
  }

  @Test
  void refusesMoreInputsThanOpenAiAccepts() {
    String inputs = "'x',".repeat(OpenAiEmbeddingsReader.MAX_INPUTS) + "'x'";
    assertThatThrownBy(() -> read("{'model':'a/e','input':[" + inputs + "]}"))
        .isInstanceOf(InvalidRequest.class)
        .hasMessageContaining("input has 2049 items; at most 2048");
    assertThat(read("{'model':'a/e','input':[" + inputs.substring(4) + "]}").inputs()).hasSize(2048);
  }

  @Test
  void refusesWhatIsNotAJsonObject() {
    assertThatThrownBy(() -> reader.read("[1]".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("the request body must be a JSON object");
    assertThatThrownBy(() -> reader.read("{\"model\":".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("the request body is not valid JSON");
  }

  private EmbeddingRequest read(String singleQuoted) {
    return reader.read(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }
}
