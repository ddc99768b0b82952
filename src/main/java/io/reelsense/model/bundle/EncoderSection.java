package io.reelsense.model.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code encoder} part of an encoder bundle's manifest: how a text becomes the vector the heads
 * read. Max length and truncation are the manifest's own {@code maxLength}/{@code truncation}.
 *
 * @param base the pretrained model it started from, e.g. {@code minilm-l6}
 * @param pooling {@code cls} or {@code mean}
 * @param normalize whether the pooled vector is L2-normalized
 * @param prefix prepended to every text (empty for none)
 * @param headTokens for {@code head+tail} truncation, the tokens kept from the head; null otherwise
 * @param frozen true when the encoder's weights are the pretrained ones (only the heads trained)
 * @param hiddenSize width of the pooled vector
 * @param layers transformer layers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EncoderSection(
    String base,
    String pooling,
    boolean normalize,
    String prefix,
    Integer headTokens,
    boolean frozen,
    int hiddenSize,
    int layers) {}
