package io.reelsense.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The figures of one finished fine-tuning epoch, as checkpoints, manifests ({@code
 * epochs_validation}) and the {@code validation} rows of a stopped run hold them; rounded as {@link
 * io.reelsense.metrics.Scores#round} does.
 *
 * @param epoch the epoch, 1-based
 * @param step optimizer steps done at its end
 * @param valAccuracy sentiment accuracy on validation
 * @param valF1 F1 of the positive class on validation
 * @param valRatingAccuracy exact-star accuracy on validation; null without a rating head
 * @param valMae mean absolute error in stars on validation; null without a rating head
 * @param trainLoss mean training loss over the epoch's steps this process ran; null when it ran
 *     none (an epoch finished before a resume)
 * @param trainLossSteps how many steps that mean covers; null with {@code trainLoss}
 * @param trainSeconds seconds spent training so far
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "epoch",
  "step",
  "val_accuracy",
  "val_f1",
  "val_rating_accuracy",
  "val_mae",
  "train_loss",
  "train_loss_steps",
  "train_seconds"
})
public record EpochValidation(
    @JsonProperty("epoch") int epoch,
    @JsonProperty("step") int step,
    @JsonProperty("val_accuracy") double valAccuracy,
    @JsonProperty("val_f1") double valF1,
    @JsonProperty("val_rating_accuracy") Double valRatingAccuracy,
    @JsonProperty("val_mae") Double valMae,
    @JsonProperty("train_loss") Double trainLoss,
    @JsonProperty("train_loss_steps") Integer trainLossSteps,
    @JsonProperty("train_seconds") double trainSeconds) {}
