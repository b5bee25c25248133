package dev.switchboard.catalog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a model takes and produces, as OpenRouter describes it.
 *
 * @param modality for example {@code text+image->text}
 * @param tokenizer the tokenizer family ({@code GPT}, {@code Claude}, {@code Llama3}, {@code Other})
 */
public record Architecture(
    String modality,
    List<String> inputModalities,
    List<String> outputModalities,
    String tokenizer,
    @Nullable String instructType) {
  public static final Architecture TEXT =
      new Architecture("text->text", List.of("text"), List.of("text"), "Other", null);

  /** The output modality of an embeddings model, OpenRouter's name. */
  public static final String EMBEDDINGS_MODALITY = "embeddings";

  /** A text embeddings model of unknown tokenizer. */
  public static final Architecture EMBEDDINGS =
      new Architecture("text->embeddings", List.of("text"), List.of(EMBEDDINGS_MODALITY), "Other", null);

  public Architecture {
    inputModalities = List.copyOf(inputModalities);
    outputModalities = List.copyOf(outputModalities);
  }

  /**
   * Whether the model turns input into embedding vectors rather than generating: it is served by
   * {@code /embeddings} and never by chat.
   */
  public boolean outputsEmbeddings() {
    return outputModalities.contains(EMBEDDINGS_MODALITY);
  }
}
