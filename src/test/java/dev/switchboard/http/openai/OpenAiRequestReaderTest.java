package dev.switchboard.http.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.GatewayException.InvalidRequest;
import dev.switchboard.core.Message;
import dev.switchboard.core.ProviderPreferences;
import dev.switchboard.core.RawJson;
import dev.switchboard.core.ResponseFormat;
import dev.switchboard.core.Role;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.ToolChoice;
import dev.switchboard.core.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Valid bodies and what they become; the invalid ones are in {@link OpenAiRequestReaderErrorsTest}. */
class OpenAiRequestReaderTest {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  private final OpenAiRequestReader reader = new OpenAiRequestReader(JSON);

  /** JSON written with single quotes, for readability. */
  static byte[] body(String singleQuoted) {
    return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private ChatRequest read(String singleQuoted) {
    return reader.read(body(singleQuoted));
  }

  @Test
  void minimalRequestHasEveryOptionalFieldUnset() {
    ChatRequest request = read("{'model':'openai/gpt-4o','messages':[{'role':'user','content':'Hi'}]}");
    assertThat(request).isEqualTo(ChatRequest.of("openai/gpt-4o", List.of(Message.text(Role.USER, "Hi"))));
    assertThat(request.stream()).isFalse();
    assertThat(request.streamUsage()).isFalse();
    assertThat(request.provider()).isEqualTo(ProviderPreferences.NONE);
    assertThat(request.extra()).isEmpty();
  }

  @Test
  void everyRole() {
    ChatRequest request = read("""
        {'model':'m/x','messages':[
          {'role':'system','content':'Be brief.'},
          {'role':'developer','content':'Use metric units.'},
          {'role':'user','content':'Weather in Paris?','name':'alice'},
          {'role':'assistant','content':null,'reasoning':'Need the tool.','tool_calls':[
            {'id':'call_1','type':'function','function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}},
            {'id':'call_2','type':'function','function':{'name':'now'}}]},
          {'role':'tool','tool_call_id':'call_1','content':'18C'},
          {'role':'assistant','content':'It is 18C.'}]}
        """.replace("\\'", "\\\""));
    assertThat(request.messages()).containsExactly(
        Message.text(Role.SYSTEM, "Be brief."),
        Message.text(Role.DEVELOPER, "Use metric units."),
        new Message(Role.USER, List.of(new ContentPart.Text("Weather in Paris?")), "alice", List.of(), null, null),
        new Message(Role.ASSISTANT, List.of(), null,
            List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"), new ToolCall("call_2", "now", "")),
            null, "Need the tool."),
        new Message(Role.TOOL, List.of(new ContentPart.Text("18C")), null, List.of(), "call_1", null),
        Message.text(Role.ASSISTANT, "It is 18C."));
  }

  @Test
  void arrayContentWithEveryPartType() {
    ChatRequest request = read("""
        {'model':'m/x','messages':[{'role':'user','content':[
          {'type':'text','text':'Look:'},
          {'type':'input_text','text':'and'},
          {'type':'image_url','image_url':{'url':'https://example.com/a.png','detail':'high'}},
          {'type':'image_url','image_url':'data:image/png;base64,iVBORw0KGgo='},
          {'type':'input_audio','input_audio':{'data':'UklGRg==','format':'wav'}},
          {'type':'file','file':{'filename':'a.pdf','file_data':'data:application/pdf;base64,JVBERi0='}},
          {'type':'file','file':{'file_id':'file-123'}},
          {'type':'video_url','video_url':{'url':'https://example.com/v.mp4'}}]}]}
        """);
    assertThat(request.messages().getFirst().content()).containsExactly(
        new ContentPart.Text("Look:"),
        new ContentPart.Text("and"),
        new ContentPart.Image("https://example.com/a.png", "high"),
        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null),
        new ContentPart.InputAudio("UklGRg==", "wav"),
        new ContentPart.File("a.pdf", "data:application/pdf;base64,JVBERi0=", null),
        new ContentPart.File(null, null, "file-123"),
        new ContentPart.Unknown("video_url",
            RawJson.of("{\"type\":\"video_url\",\"video_url\":{\"url\":\"https://example.com/v.mp4\"}}")));
  }

  @Test
  void toolsAndEveryToolChoiceForm() {
    String tools = "'tools':[{'type':'function','function':{'name':'get_weather','description':'Weather',"
        + "'parameters':{'type':'object','properties':{'city':{'type':'string'}}},'strict':true}},"
        + "{'function':{'name':'now'}}]";
    ChatRequest request = read("{'model':'m/x','messages':[{'role':'user','content':'x'}]," + tools
        + ",'parallel_tool_calls':false}");
    assertThat(request.tools()).containsExactly(
        new ToolSpec("get_weather", "Weather",
            RawJson.of("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"), true),
        new ToolSpec("now", null, null, null));
    assertThat(request.parallelToolCalls()).isFalse();
    assertThat(request.toolChoice()).isNull();

    assertThat(toolChoice("'auto'")).isEqualTo(new ToolChoice.Auto());
    assertThat(toolChoice("'none'")).isEqualTo(new ToolChoice.None());
    assertThat(toolChoice("'required'")).isEqualTo(new ToolChoice.Required());
    assertThat(toolChoice("{'type':'function','function':{'name':'get_weather'}}"))
        .isEqualTo(new ToolChoice.Function("get_weather"));
  }

  private ToolChoice toolChoice(String json) {
    return read("{'model':'m/x','messages':[{'role':'user','content':'x'}],'tool_choice':" + json + "}").toolChoice();
  }

  @Test
  void responseFormats() {
    assertThat(responseFormat("{'type':'text'}")).isEqualTo(new ResponseFormat.Text());
    assertThat(responseFormat("{'type':'json_object'}")).isEqualTo(new ResponseFormat.JsonObject());
    assertThat(responseFormat("{'type':'json_schema','json_schema':{'name':'answer','description':'An answer',"
        + "'schema':{'type':'object'},'strict':true}}"))
        .isEqualTo(new ResponseFormat.JsonSchema("answer", "An answer", RawJson.of("{\"type\":\"object\"}"), true));
    assertThat(responseFormat("{'type':'json_schema','json_schema':{'name':'bare'}}"))
        .isEqualTo(new ResponseFormat.JsonSchema("bare", null, null, null));
  }

  private ResponseFormat responseFormat(String json) {
    return read("{'model':'m/x','messages':[{'role':'user','content':'x'}],'response_format':" + json + "}")
        .responseFormat();
  }

  @Test
  void samplingParametersAndStop() {
    ChatRequest request = read("{'model':'m/x','messages':[{'role':'user','content':'x'}],'temperature':0.7,"
        + "'top_p':1,'seed':42,'stop':'END','logprobs':true,'top_logprobs':5,'user':'u-1'}");
    assertThat(request.temperature()).isEqualTo(0.7);
    assertThat(request.topP()).isEqualTo(1.0);
    assertThat(request.seed()).isEqualTo(42L);
    assertThat(request.stop()).containsExactly("END");
    assertThat(request.logprobs()).isTrue();
    assertThat(request.topLogprobs()).isEqualTo(5);
    assertThat(request.user()).isEqualTo("u-1");
    assertThat(read("{'model':'m/x','messages':[{'role':'user','content':'x'}],'stop':['a','b']}").stop())
        .containsExactly("a", "b");
  }

  @Test
  void maxCompletionTokensWinsOverMaxTokens() {
    String base = "{'model':'m/x','messages':[{'role':'user','content':'x'}],";
    assertThat(read(base + "'max_tokens':100,'max_completion_tokens':200}").maxTokens()).isEqualTo(200);
    assertThat(read(base + "'max_completion_tokens':200,'max_tokens':100}").maxTokens()).isEqualTo(200);
    assertThat(read(base + "'max_tokens':100}").maxTokens()).isEqualTo(100);
    assertThat(read(base + "'max_tokens':null}").maxTokens()).isNull();
  }

  @Test
  void streamAndIncludeUsage() {
    String base = "{'model':'m/x','messages':[{'role':'user','content':'x'}],";
    ChatRequest streamed = read(base + "'stream':true,'stream_options':{'include_usage':true}}");
    assertThat(streamed.stream()).isTrue();
    assertThat(streamed.streamUsage()).isTrue();
    ChatRequest noUsage = read(base + "'stream':true,'stream_options':{'include_usage':false}}");
    assertThat(noUsage.stream()).isTrue();
    assertThat(noUsage.streamUsage()).isFalse();
    assertThat(read(base + "'stream':false}").stream()).isFalse();
  }

  @Test
  void providerPreferences() {
    ChatRequest request = read("{'model':'m/x','messages':[{'role':'user','content':'x'}],'provider':{"
        + "'order':['openai','Groq'],'only':['openai','groq','mistral'],'ignore':['deepinfra'],"
        + "'allow_fallbacks':false,'require_parameters':true,'data_collection':'deny','sort':'price',"
        + "'zdr':true,'max_price':{'prompt':1,'completion':'2.5'},'quantizations':['fp8','unknown'],"
        + "'preferred_min_throughput':50,'preferred_max_latency':{'p90':2.5},'enforce_distillable_text':true}}");
    assertThat(request.provider()).isEqualTo(new ProviderPreferences(
        List.of("openai", "Groq"), List.of("openai", "groq", "mistral"), List.of("deepinfra"), false, true, "deny",
        "price", Map.of("enforce_distillable_text", RawJson.of("true")), true, List.of("fp8", "unknown"), null,
        new ProviderPreferences.MaxPrice(new BigDecimal("1"), new BigDecimal("2.5"), null, null, null),
        ProviderPreferences.Cutoffs.p50(50), new ProviderPreferences.Cutoffs(null, null, 2.5, null)));
    ChatRequest sortObject = read("{'model':'m/x','messages':[{'role':'user','content':'x'}],"
        + "'provider':{'sort':{'by':'latency','partition':'none'}}}");
    assertThat(sortObject.provider().sort()).isEqualTo("latency");
    assertThat(sortObject.provider().sortPartition()).isEqualTo("none");
    assertThat(sortObject.provider().allowFallbacks()).isTrue();
  }

  @Test
  void maxPriceIsExactWhateverTheJsonNumberLooksLike() {
    ChatRequest request = read("{'model':'m/x','messages':[{'role':'user','content':'x'}],"
        + "'provider':{'max_price':{'prompt':0.1,'completion':1e-7,'request':'0.30','image':3}}}");
    var max = request.provider().maxPrice();
    assertThat(max).isNotNull();
    assertThat(max.prompt()).isEqualByComparingTo("0.1");
    assertThat(max.completion()).isEqualByComparingTo("0.0000001");
    assertThat(max.request()).isEqualByComparingTo("0.3");
    assertThat(max.image()).isEqualByComparingTo("3");
    assertThat(max.audio()).isNull();
  }

  @Test
  void sessionIdIsReadAndKeptFromUpstreams() {
    ChatRequest request = read("{'model':'m/x','messages':[{'role':'user','content':'x'}],'session_id':'conv-9',"
        + "'prompt_cache_key':'pk'}");
    assertThat(request.sessionId()).isEqualTo("conv-9");
    assertThat(request.extra()).containsOnlyKeys("prompt_cache_key");
    assertThat(read("{'model':'m/x','messages':[{'role':'user','content':'x'}]}").sessionId()).isNull();
  }

  @Test
  void modelsFallbackListWithoutModel() {
    ChatRequest request = read("{'models':['a/one','b/two','c/three'],'messages':[{'role':'user','content':'x'}]}");
    assertThat(request.model()).isEqualTo("a/one");
    assertThat(request.fallbackModels()).containsExactly("b/two", "c/three");
  }

  @Test
  void modelsFallbackListWithModelTriesModelFirstAndOnce() {
    ChatRequest request = read(
        "{'model':'b/two','models':['a/one','b/two','a/one'],'messages':[{'role':'user','content':'x'}]}");
    assertThat(request.model()).isEqualTo("b/two");
    assertThat(request.fallbackModels()).containsExactly("a/one");
  }

  @Test
  void unknownFieldsAreKeptVerbatimAndOpenRouterOnlyFieldsAreNot() {
    ChatRequest request = read("{'model':'m/x','messages':[{'role':'user','content':'x'}],"
        + "'frequency_penalty':0.5,'logit_bias':{'50256':-100},'reasoning':{'effort':'high'},'n':2,"
        + "'metadata':{'k':'v'},'safe_prompt':true,"
        + "'route':'fallback','transforms':['middle-out'],'usage':{'include':true},"
        + "'plugins':[{'id':'web'}],'session_id':'s-1'}");
    assertThat(request.extra()).containsOnlyKeys(
        "frequency_penalty", "logit_bias", "reasoning", "n", "metadata", "safe_prompt");
    assertThat(request.extra()).containsEntry("frequency_penalty", RawJson.of("0.5"))
        .containsEntry("logit_bias", RawJson.of("{\"50256\":-100}"))
        .containsEntry("reasoning", RawJson.of("{\"effort\":\"high\"}"))
        .containsEntry("n", RawJson.of("2"))
        .containsEntry("metadata", RawJson.of("{\"k\":\"v\"}"))
        .containsEntry("safe_prompt", RawJson.of("true"));
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    assertThatThrownBy(() -> reader.read("{\n  \"model\": \"m/x\",\n  \"messages\": [}\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(InvalidRequest.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.param()).isNull();
          assertThat(e.getMessage()).startsWith("the request body is not valid JSON: ").contains("(line 3, column 16)")
              .doesNotContain("Source:");
        });
  }

  @Test
  void bodyThatIsNotAnObject() {
    for (String text : List.of("[1,2]", "\"hi\"", "null", "", "   ")) {
      assertThatThrownBy(() -> reader.read(text.getBytes(StandardCharsets.UTF_8)))
          .as(text)
          .isInstanceOf(InvalidRequest.class)
          .hasMessage("the request body must be a JSON object");
    }
  }

  @Test
  void trailingContentAfterTheObjectIsRejected() {
    assertThatThrownBy(() -> read("{'model':'m/x','messages':[{'role':'user','content':'x'}]} {'model':'y'}"))
        .isInstanceOf(InvalidRequest.class)
        .hasMessageStartingWith("the request body is not valid JSON: ")
        .hasMessageContaining("line 1");
  }

  @Test
  void tooDeeplyNestedIsA400NotACrash() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThatThrownBy(() -> read("{'model':'m/x','messages':[{'role':'user','content':'x'}],'x':" + deep + "}"))
        .isInstanceOf(InvalidRequest.class)
        .hasMessageStartingWith("the request body is not valid JSON: ");
  }
}
