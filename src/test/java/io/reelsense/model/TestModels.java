package io.reelsense.model;

import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Path;

/**
 * The model jars that Maven puts on the test class path (test-scope dependencies, resolved into the
 * local repository, never committed).
 */
public final class TestModels {

  public static final String MINILM = "all-minilm-l6-v2.onnx";
  public static final String BGE = "bge-small-en-v1.5.onnx";
  public static final String E5 = "e5-small-v2.onnx";

  private TestModels() {}

  /** The jar on the test class path that holds this entry. */
  public static Path jarHolding(String entry) {
    URL url = TestModels.class.getClassLoader().getResource(entry);
    if (url == null) {
      throw new IllegalStateException(
          entry + " is not on the test class path: run mvn once online to fetch the model jars");
    }
    try {
      JarURLConnection c = (JarURLConnection) url.openConnection();
      return Path.of(c.getJarFileURL().toURI());
    } catch (java.io.IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot locate the jar of " + url, e);
    }
  }
}
