package io.reelsense.model.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What {@code manifest.json} of a model bundle says. Read and written only by {@code BundleFiles},
 * behind the {@link Bundles} facade; the format is described in {@code docs/bundle-format.md}.
 *
 * @param formatVersion the bundle format; a reader accepts {@link Bundles#OLDEST_FORMAT_VERSION} to
 *     its own {@link Bundles#FORMAT_VERSION}
 * @param kind the model family, e.g. {@code tfidf-lr}, {@code tfidf-nb}
 * @param tasks the heads the bundle holds: {@code sentiment}, {@code rating}
 * @param labels per task, the class names in the order of the model's outputs
 * @param cleaning the cleaning profile applied to every text before the model ({@code
 *     full|light|none})
 * @param maxLength tokens kept per text (encoders); null for bag-of-words models
 * @param truncation how longer texts are cut (encoders); null for bag-of-words models
 * @param metrics figures measured when the bundle was made (e.g. {@code test_accuracy})
 * @param training the arguments the model was trained with
 * @param data sha256 of each data file the model was trained on, by file name
 * @param codeVersion the reelsense version that made the bundle
 * @param created creation time, ISO-8601 UTC
 * @param files sha256 of each model file of the bundle, by file name (paths relative to the bundle,
 *     {@code /}-separated)
 * @param encoder for kind {@code encoder}: how texts become vectors; null otherwise
 * @param members for kind {@code ensemble}: the member bundles and their weights; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(
    int formatVersion,
    String kind,
    List<String> tasks,
    Map<String, List<String>> labels,
    String cleaning,
    Integer maxLength,
    String truncation,
    Map<String, Object> metrics,
    Map<String, Object> training,
    Map<String, String> data,
    String codeVersion,
    String created,
    Map<String, String> files,
    EncoderSection encoder,
    List<EnsembleMember> members) {}
