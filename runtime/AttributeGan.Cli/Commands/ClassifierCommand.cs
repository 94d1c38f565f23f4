using System.CommandLine;
using System.Globalization;
using System.Linq;
using AttributeGan.Evaluation.Classifier;
using AttributeGan.Models;
using AttributeGan.Runtime;
using AttributeGan.Runtime.Data;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// <c>attributegan classifier train --data DIR --out FILE</c>: fine-tune the attribute classifier that Table 1's
/// attribute error uses, on real images, and report its held-out accuracy and attribute error (the real-image floor).
/// </summary>
internal static class ClassifierCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var command = new Command("classifier", "The attribute classifier of the evaluation (an ImageNet ResNet-18 fine-tuned on the real images).");
        command.Subcommands.Add(Train(catalog));
        return command;
    }

    private static Command Train(SpecCatalog catalog)
    {
        var data = new Option<string>("--data") { Description = "Real image folder with attributes.csv.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Classifier file to write.", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training images.", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 32 };
        var holdout = new Option<double>("--holdout") { Description = "Share of images held out (stratified by attribute combination) to measure the classifier.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the heads' initial weights and the batch order.", DefaultValueFactory = _ => 0 };
        var learningRate = new Option<double?>("--lr") { Description = "Adam's learning rate (default: the backbone's, 1e-4 for ResNet-18)." };
        var model = new Option<string?>("--model", "-m")
        {
            Description = "The compiled model whose attributes and resolution the classifier takes (default: the one whose attributes match the table and whose resolution is the images' size).",
        };
        var degrade = new Option<double>("--degrade")
        {
            Description = "Share of training images blurred (Gaussian, σ up to 1 px) and noised (σ up to 0.05), so the classifier also reads the softer, speckled images a generator draws; 0 (default) trains on the images as they are.",
            DefaultValueFactory = _ => 0,
        };
        var precision = new Option<string>("--precision")
        {
            Description = "float32, or float64: slower, but CPUs of other instruction sets train the same classifier and it gives the same answers, so evaluations made on different machines measure with one judge.",
            DefaultValueFactory = _ => "float32",
        }.AcceptOnlyFromAmong(ClassifierTrainingSettings.PrecisionNames.ToArray());
        var skipBad = new Option<bool>("--skip-bad-images") { Description = "Skip unreadable images (counted and reported) instead of stopping." };
        var device = RunOptions.Device();
        var train = new Command("train", "Fine-tune the attribute classifier on real images; prints its held-out accuracy and attribute error per attribute.")
        {
            data, output, epochs, batch, holdout, seed, learningRate, degrade, precision, model, skipBad, device,
        };
        var flags = new SettingFlags()
            .Add<ClassifierTrainOptions>(nameof(ClassifierTrainOptions.Epochs), epochs)
            .Add<ClassifierTrainOptions>(nameof(ClassifierTrainOptions.Batch), batch)
            .Add<ClassifierTrainOptions>(nameof(ClassifierTrainOptions.HoldoutFraction), holdout)
            .Add<ClassifierTrainOptions>(nameof(ClassifierTrainOptions.LearningRate), learningRate)
            .Add<ImageDegradation>(nameof(ImageDegradation.Probability), degrade);
        train.SetAction(parse => CommandRunner.Run(() =>
        {
            double degradeShare = parse.GetValue(degrade);
            var options = new ClassifierTrainOptions(parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(holdout), parse.GetValue(seed), parse.GetValue(learningRate),
                degradeShare == 0 ? null : new ImageDegradation(Probability: degradeShare),
                ClassifierTrainingSettings.PrecisionType(parse.GetValue(precision))!.Value);             // one of PrecisionNames, as the option accepts
            options.Validate();
            string dataPath = parse.GetValue(data)!;
            var backbone = ClassifierBackbones.ResNet18;                              // the paper's classifier
            var spec = parse.GetValue(model) is { } name ? ModelOption.Resolve(catalog, name) : DataModel.Find(dataPath, catalog);
            var torchDevice = Devices.Resolve(parse.GetValue(device)!);
            var set = DataSet.Load(dataPath, spec, new DataSetOptions(Percentile: spec.Training.CombinationPercentile, OnBadImage: parse.GetValue(skipBad) ? OnBadImage.Skip : OnBadImage.Fail));
            AnsiConsole.MarkupLine(Markup.Escape($"{set.Describe()} Attributes and resolution ({spec.Resolution}×{spec.Resolution}) from {spec.Name}; backbone {backbone.Name}: {backbone.Description}."));

            var progress = new StageProgress();
            using var classifier = progress.Run(p => ClassifierTrainer.Train(set, backbone, options, torchDevice, step => p.Report(
                step.Evaluating ? "scoring held-out images" : "fine-tuning",
                step.Evaluating ? 1 : step.Step, step.Evaluating ? 1 : step.TotalSteps,
                step.Evaluating ? "" : string.Create(CultureInfo.InvariantCulture, $"epoch {step.Epoch}/{step.Epochs}  loss {step.Loss:F4}"))));
            classifier.Save(parse.GetValue(output)!);

            var heldOut = classifier.Metadata.HeldOut;
            var table = new Table().AddColumns("attribute", "levels", "held-out accuracy", "attribute error");
            foreach (var (score, attribute) in heldOut.Attributes.Zip(classifier.Layout.Attributes))
                table.AddRow(Markup.Escape(score.Attribute), attribute.Levels.Count.ToString(CultureInfo.InvariantCulture),
                    score.Accuracy.ToString("P1", CultureInfo.InvariantCulture), score.Error.ToString("0.000", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape($"Held out {heldOut.Images} of {set.Count} images (trained on {classifier.Metadata.Training.TrainImages}). " +
                                                 $"Wrote {parse.GetValue(output)}: the attribute error above is Table 1's real-images row."));
            return 0;
        }, flags: flags));
        return train;
    }
}
