package io.reelsense.cli;

import io.reelsense.model.tokenizer.Truncation;
import io.reelsense.text.CleaningProfile;
import io.reelsense.train.BaselineOptions;
import io.reelsense.train.EnsembleTrainer;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The typed values of the training options and their picocli converters. A converter turns the text
 * the user typed into the value, or fails with a {@link TypeConversionException} whose message says
 * what was expected; {@link ErrorHandler} prints it as one {@code error:} line naming the option
 * (exit code 1).
 */
final class OptionTypes {

  private OptionTypes() {}

  /** What {@code --fit-on} names: the data the final model is fitted on. */
  enum FitOn {
    /** The 80 % of the 80/20 split. */
    SPLIT,
    /** After validating on the 20 %, all 25,000 reviews of the official train split. */
    ALL
  }

  /** What {@code --stop-words} names: the stop-word list removed before n-grams. */
  enum StopWords {
    /** scikit-learn's English list. */
    ENGLISH,
    /** No list. */
    NONE
  }

  /** Converts through {@code parse}; its {@link IllegalArgumentException} becomes the message. */
  private static <T> T parse(String value, Function<String, T> parse) {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** {@code --profile}: full, light or none. */
  static final class Profile implements ITypeConverter<CleaningProfile> {
    @Override
    public CleaningProfile convert(String value) {
      return parse(value, CleaningProfile::parse);
    }
  }

  /** {@code --task}: sentiment, rating or both. */
  static final class Task implements ITypeConverter<BaselineOptions.Task> {
    @Override
    public BaselineOptions.Task convert(String value) {
      try {
        return BaselineOptions.Task.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "unknown task '" + value + "'; known: sentiment, rating, both");
      }
    }
  }

  /** {@code --truncation}: head, tail or head+tail. */
  static final class TruncationStrategy implements ITypeConverter<Truncation.Strategy> {
    @Override
    public Truncation.Strategy convert(String value) {
      return parse(value, Truncation.Strategy::parse);
    }
  }

  /** {@code --combine}: stacking or average. */
  static final class Combine implements ITypeConverter<EnsembleTrainer.Combination> {
    @Override
    public EnsembleTrainer.Combination convert(String value) {
      return parse(value, EnsembleTrainer.Combination::parse);
    }
  }

  /** {@code --fit-on}: split or all. */
  static final class FitOnConverter implements ITypeConverter<FitOn> {
    @Override
    public FitOn convert(String value) {
      try {
        return FitOn.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected split or all, got '" + value + "'");
      }
    }
  }

  /** {@code --stop-words}: english or none. */
  static final class StopWordsConverter implements ITypeConverter<StopWords> {
    @Override
    public StopWords convert(String value) {
      try {
        return StopWords.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected english or none, got '" + value + "'");
      }
    }
  }
}
