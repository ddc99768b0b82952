package io.reelsense.cli;

import io.reelsense.model.encoder.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --precision fp32|fp16} (any case). */
public final class PrecisionConverter implements ITypeConverter<Precision> {

  @Override
  public Precision convert(String value) {
    try {
      return Precision.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
